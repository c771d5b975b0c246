import type { INode } from 'n8n-workflow';

export const TEST_NODE: INode = {
	id: 'node-1',
	name: 'Identity Test',
	type: 'n8n-nodes-identity-verification.test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
