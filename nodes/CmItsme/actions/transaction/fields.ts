import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { shapeOutput, type OutputMode } from '../../../shared/output';
import { normalizeItsmeStatus, personLocale } from '../../normalize';
import type { ItsmeStatusAnswer } from '../../types';

export const transactionTokenField: INodeProperties = {
	displayName: 'Transaction Token',
	name: 'transactionToken',
	type: 'string',
	// It unlocks the person's data (once), so it is shown masked like any secret.
	typeOptions: { password: true },
	required: true,
	default: '',
	placeholder: 'SMDhN88yYlE3ug2mUzSsma7Vb3GFBXV61tLgJEYVwJVZ9623kECl7A5p4uqIat2W',
	description: 'The transactionToken the Create operation returned',
};

/**
 * A status answer as an output item. The person's locale has no place in the shared identity, so normalized
 * output carries it beside the identity; Raw is CM's answer exactly as it came.
 */
export function statusItem(answer: ItsmeStatusAnswer, transactionToken: string, mode: OutputMode): INodeExecutionData {
	const identity = normalizeItsmeStatus(answer, transactionToken);
	if (mode === 'raw') return { json: shapeOutput(mode, identity) };
	return { json: shapeOutput(mode, identity, { locale: personLocale(answer) }) };
}
