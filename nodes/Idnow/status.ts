/**
 * What an order's status codes say: each entry explained from the document's table, whether the order is final for
 * its kind, and the normalized status. getIdentData carries no verdict, so this is the only source of `status`,
 * `verified` and `reason` for IDnow.
 */
import type { IDataObject } from 'n8n-workflow';

import type { IdentityStatus } from '../shared/identity';
import { isFinalCode, statusCodeEntry, subStatusMeaning } from './statusCodes';
import type { IdnowStatusAnswer, IdnowStatusEntry } from './types';

/** Identification orders and eSign orders (Product 15) end on different codes (3.2.1). */
export type IdnowOrderKind = 'identification' | 'eSign';

const VERIFIED_CODE: Record<IdnowOrderKind, number> = { identification: 6, eSign: 84 };
const POSSIBLE_FRAUD_CODE = 89;

/** The final codes other than the positive one, by what they mean for the person. */
const OUTCOME_OF_FINAL_CODE: Record<number, IdentityStatus> = {
	17: 'failed',
	22: 'failed',
	103: 'failed',
	16: 'cancelled',
	58: 'cancelled',
	63: 'cancelled',
	99: 'expired',
	100: 'expired',
};

export interface ExplainedStatusEntry extends IdnowStatusEntry {
	meaning: string | null;
	subMeaning: string | null;
	extended: boolean | null;
	finalForIdentification: boolean;
	finalForESign: boolean;
}

export interface StatusVerdict {
	/** Whether the order has reached a final code for its kind. */
	final: boolean;
	/** The first final entry, which decides the outcome. */
	finalStatus: ExplainedStatusEntry | null;
	status: IdentityStatus;
	verified: boolean;
	/** The deciding code's meaning and sub-status; null when verified. */
	reason: string | null;
}

export function explainStatusEntry(entry: IdnowStatusEntry): ExplainedStatusEntry {
	const known = statusCodeEntry(entry.Kind);
	return {
		...entry,
		meaning: known?.meaning ?? null,
		subMeaning: entry.SubKind === undefined ? null : (subStatusMeaning(entry.Kind, entry.SubKind) ?? null),
		extended: known?.extended ?? null,
		finalForIdentification: isFinalCode(entry.Kind, false),
		finalForESign: isFinalCode(entry.Kind, true),
	};
}

/** "Identification negatively conducted (17/48: Identification criteria)", or the IDnow text when the code is unknown. */
export function describeEntry(entry: ExplainedStatusEntry): string {
	const code = entry.SubKind === undefined ? `${entry.Kind}` : `${entry.Kind}/${entry.SubKind}`;
	const meaning = entry.meaning ?? entry.Text ?? 'status code not in the IDnow table';
	return entry.subMeaning ? `${meaning} (${code}: ${entry.subMeaning})` : `${meaning} (${code})`;
}

function isFinalFor(entry: ExplainedStatusEntry, kind: IdnowOrderKind): boolean {
	return kind === 'eSign' ? entry.finalForESign : entry.finalForIdentification;
}

/**
 * The verdict of a status list, in the order IDnow gives it (oldest first). A possible fraud (89, or getIdentData's
 * FraudAttempt) always means review, whatever comes after it: IDnow's own result is then for a human to judge. Else
 * the first final code decides; a person is verified only on 6 (84 for eSign orders).
 */
export function verdictOf(entries: ExplainedStatusEntry[], kind: IdnowOrderKind, fraudAttempt = false): StatusVerdict {
	const finalStatus = entries.find((entry) => isFinalFor(entry, kind)) ?? null;
	const final = finalStatus !== null;
	const fraud = entries.find((entry) => entry.Kind === POSSIBLE_FRAUD_CODE);
	if (fraud || fraudAttempt) {
		const reason = fraud ? describeEntry(fraud) : 'IDnow flagged a possible fraud attempt (FraudAttempt)';
		return { final, finalStatus, status: 'review', verified: false, reason };
	}
	if (!finalStatus) {
		const latest = entries[entries.length - 1];
		return { final, finalStatus, status: 'pending', verified: false, reason: latest ? describeEntry(latest) : null };
	}
	if (finalStatus.Kind === VERIFIED_CODE[kind]) return { final, finalStatus, status: 'verified', verified: true, reason: null };
	const status = OUTCOME_OF_FINAL_CODE[finalStatus.Kind] ?? 'failed';
	return { final, finalStatus, status, verified: false, reason: describeEntry(finalStatus) };
}

/**
 * getStatus's answer with every entry explained and the verdict on top. `shownEntries` decides which entries are
 * listed (the verdict always uses all of them, so an extended code such as 84 or 89 counts even when not shown).
 */
export function summarizeStatus(
	answer: IdnowStatusAnswer,
	kind: IdnowOrderKind,
	show: (entry: IdnowStatusEntry) => boolean = () => true,
): IDataObject {
	const explained = (answer.Status ?? []).map(explainStatusEntry);
	const verdict = verdictOf(explained, kind);
	return {
		...answer,
		Status: explained.filter(show),
		final: verdict.final,
		finalStatus: verdict.finalStatus,
		status: verdict.status,
		verified: verdict.verified,
		reason: verdict.reason,
		orderKind: kind,
	};
}
