import { MP3_FILE } from '../../../shared/binaryOutput';
import type { OperationDefinition } from '../../../shared/resources';
import { getVoiceFiles as fetchVoiceFiles } from '../../transport';
import { orderIdField, readOrderId } from '../fields';
import { downloadListedFiles, listedFilesOptions } from '../listedFiles';

const DEFAULT_PREFIX = 'voice_';

export const getVoiceFiles: OperationDefinition = {
	value: 'getVoiceFiles',
	name: 'Get Voice Files',
	action: 'Get the voice recordings of an identification',
	description: 'Download the audio recordings (MP3) of a final order, one binary field each (decrypted with an AES key)',
	kind: 'read',
	properties: [orderIdField, listedFilesOptions(DEFAULT_PREFIX, 'voice files', 'voice file')],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const { binary, files, decrypted } = await downloadListedFiles(this, itemIndex, call, {
			defaultPrefix: DEFAULT_PREFIX,
			kind: MP3_FILE,
			list: 'Voicefiles',
			fetch: async () => (await fetchVoiceFiles(this, orderId, call)).Voicefiles,
			defaultFileName: (position) => `${orderId}_voice_${position}.mp3`,
		});
		return { json: { OrderID: orderId, voiceFiles: files, decrypted }, ...(files.length > 0 && { binary }) };
	},
};
