import type { IDataObject, IHookFunctions, INodeProperties } from 'n8n-workflow';

import { JPEG_FILE } from '../../../nodes/shared/binaryOutput';
import { mediaTypeOf } from '../../../nodes/shared/binary';
import { optionsCollection, optionsProperty, requestOptionFields } from '../../../nodes/shared/requestOptions';
import { callerIpOptions, webhookOptionsProperty } from '../../../nodes/shared/webhookOptions';
import { manuallyRegisteredWebhooks, manuallyRegisteredWebhooksCheckedBy } from '../../../nodes/shared/webhookTrigger';

const own: INodeProperties[] = [
	{ displayName: 'Zeta', name: 'zeta', type: 'boolean', default: false },
	{ displayName: 'Alpha', name: 'alpha', type: 'string', default: '' },
];

describe('optionsCollection', () => {
	it('is the "Options" collection holding the options in the order given', () => {
		expect(optionsCollection(own)).toEqual({
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: own,
		});
	});

	it('is what optionsProperty fills with the request options, alphabetically', () => {
		const property = optionsProperty(own);
		const names = [...own, ...requestOptionFields].map((option) => option.displayName).sort((a, b) => a.localeCompare(b));

		expect({ ...property, options: [] }).toEqual({ ...optionsCollection([]), options: [] });
		expect(property.options?.map((option) => (option as INodeProperties).displayName)).toEqual(names);
	});
});

describe('webhookOptionsProperty', () => {
	it('holds the caller-IP options first, then the trigger’s own as given', () => {
		expect(webhookOptionsProperty(own)).toEqual(optionsCollection([...callerIpOptions, ...own]));
	});

	it('holds only the caller-IP options by default', () => {
		expect(webhookOptionsProperty().options).toEqual(callerIpOptions);
	});
});

describe('manuallyRegisteredWebhooksCheckedBy', () => {
	it('runs the check on activation, and creates and deletes nothing', async () => {
		const check = jest.fn(async function (this: IHookFunctions) {
			return this.getNode().name === 'Trigger';
		});
		const methods = manuallyRegisteredWebhooksCheckedBy(check);
		const ctx = { getNode: () => ({ name: 'Trigger' }) } as unknown as IHookFunctions;

		await expect(methods.default.checkExists.call(ctx)).resolves.toBe(true);
		expect(check).toHaveBeenCalledTimes(1);
		expect(methods.default.create).toBe(manuallyRegisteredWebhooks.default.create);
		expect(methods.default.delete).toBe(manuallyRegisteredWebhooks.default.delete);
	});

	it('fails activation when the check throws', async () => {
		const methods = manuallyRegisteredWebhooksCheckedBy(async () => {
			throw new Error('No token');
		});

		await expect(methods.default.checkExists.call({} as IHookFunctions)).rejects.toThrow('No token');
	});
});

describe('mediaTypeOf', () => {
	it.each([
		[{ 'content-type': 'Video/WebM; codecs=vp9' }, 'video/webm'],
		[{ 'Content-Type': ' application/pdf ' }, 'application/pdf'],
		[{ 'content-type': ['image/png', 'text/plain'] }, 'image/png'],
		[{ 'content-type': 5 }, '5'],
		[{}, undefined],
	])('%j → %j', (headers, expected) => {
		expect(mediaTypeOf(headers as IDataObject)).toBe(expected);
	});
});

describe('JPEG_FILE', () => {
	it('recognises the JPEG marker and nothing shorter or else', () => {
		expect(JPEG_FILE.recognise(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
		expect(JPEG_FILE.recognise(Buffer.from([0xff, 0xd8]))).toBe(false);
		expect(JPEG_FILE.recognise(Buffer.from('%PDF-1.7'))).toBe(false);
		expect(JPEG_FILE.mimeType).toBe('image/jpeg');
	});
});
