import type { IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';

import { mediaTypeOf, responseToBinary } from '../../../shared/binary';
import { binaryFieldProperty, maxFileSizeOption, readBinaryField, readMaxBytes } from '../../../shared/binaryOutput';
import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { isObject } from '../../../shared/util';
import { decryptStream } from '../../crypt';
import { cryptKey, DEFAULT_MAX_VIDEO_MB, getVideoFile } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

const WEBM = 'video/webm';
const MP4 = 'video/mp4';

/**
 * "video/mp4 or video/webm" (3.10.4), and /crypt leaves the header as it is (9.4). Anything else (a missing or
 * generic type) is taken as MP4, the first format the document names.
 */
function videoMimeType(response: IN8nHttpFullResponse): string {
	return mediaTypeOf(response.headers) === WEBM ? WEBM : MP4;
}

/** The response with its type replaced, so that the stored file gets it, encrypted or not. */
function withContentType(response: IN8nHttpFullResponse, mimeType: string): IN8nHttpFullResponse {
	const headers = Object.fromEntries(
		Object.entries(response.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type'),
	);
	return { ...response, headers: { ...headers, 'content-type': mimeType } };
}

/**
 * Whether IDnow is known to have finished preparing this order's video: the item is the IDnow Trigger's Video Ready
 * event for it, or the user says so. IDnow gives no other sign (a placeholder comes with the same status, type and
 * headers), and before that callback it "might" send one (3.10.1).
 */
function videoReadyConfirmed(input: IDataObject, orderId: string, confirmedByUser: boolean): boolean {
	if (confirmedByUser) return true;
	return input.provider === 'idnow' && input.kind === 'VideoReady' && input.OrderID === orderId;
}

function placeholderWarning(orderId: string): string {
	return `IDnow had not confirmed that the video of order ${orderId} was ready (no Video Ready callback reached this node), so this may be IDnow's placeholder video. Run Recording → Request Video Provisioning first and fetch the video when the IDnow Trigger's Video Ready event arrives (or turn on the option "Video Is Ready" when you know it is).`;
}

export const getVideo: OperationDefinition = {
	value: 'getVideo',
	name: 'Get Video',
	action: 'Get the video of an identification',
	description: 'Download the video recording of an order into a binary field, streamed (decrypted on the way with an AES key)',
	kind: 'read',
	properties: [
		orderIdField,
		binaryFieldProperty('data', 'video'),
		optionsProperty([
			maxFileSizeOption(DEFAULT_MAX_VIDEO_MB, 'video'),
			{
				displayName: 'Video Is Ready',
				name: 'videoReady',
				type: 'boolean',
				default: false,
				description:
					"Whether IDnow's Video Ready callback has arrived by another way than the IDnow Trigger (e.g. a Wait node resumed by it). Without it, and without the trigger's event as input, the output warns that the video may be a placeholder.",
			},
		]),
	],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const property = readBinaryField(this, itemIndex);
		const maxBytes = readMaxBytes(this, itemIndex, DEFAULT_MAX_VIDEO_MB);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const input = this.getInputData()[itemIndex]?.json;
		const ready = videoReadyConfirmed(isObject(input) ? input : {}, orderId, options.videoReady === true);

		const key = await cryptKey(this, call);
		const response = await getVideoFile(this, orderId, key, call);
		const mimeType = videoMimeType(response);
		// The decipher holds back the tag and fails the stream when it does not verify: nothing is stored then.
		const binary = await responseToBinary(this, withContentType(response, mimeType), {
			fallbackFileName: `${orderId}.${mimeType === WEBM ? 'webm' : 'mp4'}`,
			fallbackMimeType: mimeType,
			maxBytes,
			...(key && { decrypt: decryptStream(key) }),
			itemIndex,
		});
		return {
			json: {
				OrderID: orderId,
				fileName: binary.fileName ?? null,
				mimeType: binary.mimeType,
				bytes: binary.bytes ?? null,
				decrypted: key !== undefined,
				videoReadyConfirmed: ready,
				warning: ready ? null : placeholderWarning(orderId),
			},
			binary: { [property]: binary },
		};
	},
};
