import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { pollUntilSettled, waitOptionFields, type WaitWording } from '../../../shared/waitFor';
import { explainStatusEntry, verdictOf, describeEntry } from '../../status';
import type { IdnowStatusAnswer } from '../../types';
import { orderIdField, orderKindField, readOrderId, readOrderKind } from '../fields';
import { readFullStatus, statusItem, statusViewOptions } from './getStatus.operation';

const WORDING: WaitWording = {
	thing: 'order',
	outputLabel: 'Output the Open Order',
	longWaitAlternative: 'the IDnow Trigger (OnFinal) or a scheduled IDnow Get Status',
};

export const waitForFinalStatus: OperationDefinition = {
	value: 'waitForFinalStatus',
	name: 'Wait for Final Status',
	action: 'Wait for an order to become final',
	description: 'Check the status until the order is final for its type, or a timeout; then output it like Get Status',
	kind: 'read',
	properties: [orderIdField, orderKindField, optionsProperty([...statusViewOptions, ...waitOptionFields(WORDING)])],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const kind = readOrderKind(this, itemIndex);
		const verdict = (answer: IdnowStatusAnswer) => verdictOf((answer.Status ?? []).map(explainStatusEntry), kind);
		const answer = await pollUntilSettled(this, WORDING, {
			itemIndex,
			id: orderId,
			read: async () => await readFullStatus(this, orderId, call),
			isSettled: (value) => verdict(value).final,
			describe: (value) => {
				const latest = (value.Status ?? []).map(explainStatusEntry).pop();
				return latest ? `open (last status: ${describeEntry(latest)})` : 'open (no status yet)';
			},
		});
		return { json: statusItem(this, itemIndex, answer, kind) };
	},
};
