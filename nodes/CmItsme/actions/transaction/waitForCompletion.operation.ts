import type { OperationDefinition } from '../../../shared/resources';
import { outputMode, outputModeProperty } from '../../../shared/output';
import { optionsProperty } from '../../../shared/requestOptions';
import { pollUntilSettled, waitOptionFields, type WaitWording } from '../../../shared/waitFor';
import { isFinished } from '../../normalize';
import { getTransactionStatus } from '../../transport';
import { checkTransactionToken } from '../../validation';
import { statusItem, transactionTokenField } from './fields';

const WORDING: WaitWording = {
	thing: 'itsme transaction',
	outputLabel: 'Output the Open Transaction',
	longWaitAlternative: 'the CM itsme Trigger, or Get Status on a schedule',
};

export const waitForCompletion: OperationDefinition = {
	value: 'waitForCompletion',
	name: 'Wait for Completion',
	action: 'Wait for a transaction to finish',
	description: 'Poll until the person approved, cancelled or failed, or the transaction expired, or until a timeout',
	kind: 'read',
	properties: [transactionTokenField, outputModeProperty, optionsProperty(waitOptionFields(WORDING))],
	async execute(itemIndex, call) {
		const transactionToken = checkTransactionToken(this.getNodeParameter('transactionToken', itemIndex));
		// Any answer other than open settles the wait, so a success is emitted with the data of the first read that
		// saw it: the next read would no longer carry it.
		const answer = await pollUntilSettled(this, WORDING, {
			itemIndex,
			// Enough to recognise it; the whole token unlocks the person's data and has no place in an error message.
			id: `${transactionToken.slice(0, 8)}…`,
			read: async () => await getTransactionStatus(this, transactionToken, call),
			isSettled: isFinished,
			describe: (last) => String(last.status),
		});
		return statusItem(answer, transactionToken, outputMode(this, itemIndex));
	},
};
