/**
 * TANs: one-time codes a provider sends by SMS for the user to type back. Checked for their documented length before
 * the call, because providers count every wrong try against the order and cancel it after a few.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from './errors';

/** The `tan` parameter: exactly `length` characters, as the SMS shows them. */
export function tanProperty(length: number, description: string): INodeProperties {
	return {
		displayName: 'TAN',
		name: 'tan',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1'.repeat(length),
		description,
	};
}

export function readTan(ctx: Pick<IExecuteFunctions, 'getNodeParameter'>, itemIndex: number, length: number): string {
	return assertTan(ctx.getNodeParameter('tan', itemIndex, ''), length);
}

export function assertTan(value: unknown, length: number): string {
	const tan = String(value ?? '').trim();
	const fix = `Enter the TAN exactly as the SMS shows it: ${length} characters, without spaces.`;
	if (tan === '') throw new InputError('The TAN is empty', fix);
	if (/\s/.test(tan)) throw new InputError('The TAN contains spaces', fix);
	if ([...tan].length !== length) {
		throw new InputError(`The TAN must have exactly ${length} characters; "${tan}" has ${[...tan].length}`, fix);
	}
	return tan;
}
