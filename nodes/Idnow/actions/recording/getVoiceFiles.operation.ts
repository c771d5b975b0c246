import {
	fieldPrefixOption,
	maxFileSizeOption,
	MP3_FILE,
	readFieldPrefix,
	readMaxBytes,
	storeBase64Files,
} from '../../../shared/binaryOutput';
import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { cryptKey, DEFAULT_MAX_FILE_MB, getVoiceFiles as fetchVoiceFiles } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

const DEFAULT_PREFIX = 'voice_';

export const getVoiceFiles: OperationDefinition = {
	value: 'getVoiceFiles',
	name: 'Get Voice Files',
	action: 'Get the voice recordings of an identification',
	description: 'Download the audio recordings (MP3) of a final order, one binary field each (decrypted with an AES key)',
	kind: 'read',
	properties: [
		orderIdField,
		optionsProperty([fieldPrefixOption(DEFAULT_PREFIX, 'voice files'), maxFileSizeOption(DEFAULT_MAX_FILE_MB, 'voice file')]),
	],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const prefix = readFieldPrefix(this, itemIndex, DEFAULT_PREFIX);
		const maxBytes = readMaxBytes(this, itemIndex, DEFAULT_MAX_FILE_MB);
		const decrypted = (await cryptKey(this, call)) !== undefined;
		const answer = await fetchVoiceFiles(this, orderId, call);
		const { binary, files } = await storeBase64Files(
			this,
			(answer.Voicefiles ?? []).map((file, index) => ({
				base64: file.Base64Data,
				fileName: file.Filename,
				field: `Voicefiles[${index}].Base64Data`,
			})),
			{ kind: MP3_FILE, propertyPrefix: prefix, defaultFileName: (position) => `${orderId}_voice_${position}.mp3`, maxBytes },
		);
		return { json: { OrderID: orderId, voiceFiles: files, decrypted }, ...(files.length > 0 && { binary }) };
	},
};
