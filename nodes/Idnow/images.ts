/** Base64 images of getIdentData and getImages as n8n binary fields, one each (the shared Base64 file store). */
import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldPrefixOption, JPEG_FILE, readFieldPrefix, storeBase64Files, type StoredFiles } from '../shared/binaryOutput';
import type { IdnowImage } from './types';

/** A photo of a document or a face is far below this; it bounds a damaged answer. */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const DEFAULT_PREFIX = 'image_';

export const imagePrefixOption = fieldPrefixOption(DEFAULT_PREFIX, 'images');

export function readImagePrefix(ctx: IExecuteFunctions, itemIndex: number): string {
	return readFieldPrefix(ctx, itemIndex, DEFAULT_PREFIX);
}

/**
 * Every image, or none when one is damaged: `where` names the array in the answer for messages. IDnow sends JPEGs
 * only ("Base64 encoded JPEG image", 3.1.4 and 3.3.4).
 */
export async function storeImages(
	ctx: IExecuteFunctions,
	images: IdnowImage[],
	prefix: string,
	where: string,
): Promise<StoredFiles> {
	return await storeBase64Files(
		ctx,
		images.map((image, index) => ({ base64: image.Image, fileName: image.Filename, field: `${where}[${index}].Image` })),
		{ kind: JPEG_FILE, propertyPrefix: prefix, defaultFileName: (position) => `image${position}.jpg`, maxBytes: MAX_IMAGE_BYTES },
	);
}
