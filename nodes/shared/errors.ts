import { NodeOperationError, type INode } from 'n8n-workflow';

/**
 * A problem with what the user entered or sent. Pure validation code throws it without needing a node;
 * the item router and the triggers turn it into n8n's NodeOperationError, with `fix` as the description
 * telling the user what to change.
 */
export class InputError extends Error {
	constructor(
		message: string,
		readonly fix: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

export function toNodeOperationError(node: INode, error: InputError, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, error.message, { itemIndex, description: error.fix });
}
