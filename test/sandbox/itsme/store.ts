/**
 * The transactions the simulator holds, with their life cycle on the sandbox clock: open until the person
 * finishes on the itsme page (or a control does it for them) or until the lifetime runs out.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { HttpError, type SandboxClock } from '../framework';
import type { ItsmeIdentity, ItsmeOutcome, ItsmeStatus, TransactionRequest } from './model';

export interface StoredTransaction extends TransactionRequest {
	/** What the merchant polls `/status` with; as secret as the user info it unlocks. */
	transactionToken: string;
	/** Names the itsme page, so the browser's URL never carries the transactionToken. */
	sessionId: string;
	/** `merchantFingerprint` of the token that created it: which merchant, without keeping the secret around. */
	merchant: string;
	status: ItsmeStatus;
	createdAt: number;
	expiresAt: number;
	finishedAt: number | null;
	/** Who approved; set only on success. */
	person: ItsmeIdentity | null;
	/** The user info went out once; every later status read is without it. */
	userInfoDelivered: boolean;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** As long as the document's example transactionToken. */
const TRANSACTION_TOKEN_LENGTH = 64;

/** A short, stable, non-reversible name for a merchant token, safe to show in control answers. */
export function merchantFingerprint(token: string): string {
	return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

export class TransactionStore {
	private transactions = new Map<string, StoredTransaction>();
	private sessions = new Map<string, StoredTransaction>();

	constructor(private readonly clock: SandboxClock) {}

	create(request: TransactionRequest, merchant: string, lifetimeMs: number): StoredTransaction {
		const now = this.clock.now();
		const stored: StoredTransaction = {
			...request,
			scopes: [...request.scopes],
			transactionToken: randomAlphanumeric(TRANSACTION_TOKEN_LENGTH),
			sessionId: randomUUID(),
			merchant,
			status: 'open',
			createdAt: now,
			expiresAt: now + lifetimeMs,
			finishedAt: null,
			person: null,
			userInfoDelivered: false,
		};
		this.transactions.set(stored.transactionToken, stored);
		this.sessions.set(stored.sessionId, stored);
		return stored;
	}

	byToken(transactionToken: string): StoredTransaction | undefined {
		return this.current(this.transactions.get(transactionToken));
	}

	bySession(sessionId: string): StoredTransaction | undefined {
		return this.current(this.sessions.get(sessionId));
	}

	/** Controls accept either handle: tests hold the transactionToken, a browser test only sees the page URL. */
	byReference(reference: string): StoredTransaction {
		const stored = this.byToken(reference) ?? this.bySession(reference);
		if (stored === undefined) throw new HttpError(404, `no transaction ${reference}`);
		return stored;
	}

	/** Oldest first. */
	all(): StoredTransaction[] {
		return [...this.transactions.values()].map((stored) => this.current(stored) as StoredTransaction);
	}

	/** Ends an open transaction; a finished one stays as it is (409), as itsme cannot be answered twice. */
	finish(stored: StoredTransaction, outcome: ItsmeOutcome, person: ItsmeIdentity | null = null): void {
		if (stored.status !== 'open') {
			throw new HttpError(409, `transaction is ${stored.status}, not open`);
		}
		stored.status = outcome;
		stored.finishedAt = this.clock.now();
		stored.person = outcome === 'success' ? person : null;
	}

	clear(): void {
		this.transactions = new Map();
		this.sessions = new Map();
	}

	/** Expiry is read off the clock whenever a transaction is looked at, so advancing the clock is enough. */
	private current(stored: StoredTransaction | undefined): StoredTransaction | undefined {
		if (stored?.status === 'open' && this.clock.now() >= stored.expiresAt) {
			stored.status = 'expired';
			stored.finishedAt = stored.expiresAt;
		}
		return stored;
	}
}

/** Letters and digits only, like the document's example token, without modulo bias. */
function randomAlphanumeric(length: number): string {
	let text = '';
	while (text.length < length) {
		for (const byte of randomBytes(length)) {
			if (byte < 248 && text.length < length) text += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length];
		}
	}
	return text;
}
