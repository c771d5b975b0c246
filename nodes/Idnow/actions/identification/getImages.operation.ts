import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { imagePrefixOption, readImagePrefix, storeImages } from '../../images';
import { getImages as fetchImages } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

export const getImages: OperationDefinition = {
	value: 'getImages',
	name: 'Get Images',
	action: 'Get the images of an identification',
	description: 'Download the recorded images (document front and back, face) of a final order, one binary field each',
	kind: 'read',
	properties: [orderIdField, optionsProperty([imagePrefixOption])],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const prefix = readImagePrefix(this, itemIndex);
		const answer = await fetchImages(this, orderId, call);
		const { binary, files } = await storeImages(this, answer.Images ?? [], prefix, 'Images');
		return { json: { OrderID: orderId, images: files }, binary };
	},
};
