/**
 * What IDnow would send to people instead of the customer: SMS (eSign TANs, phone verification TANs, password-change
 * TANs) and e-mails (invitations, final notifications). The sandbox records them so that a test, or a person trying
 * the demo, can read the TAN; the sign-me accounts (D-Trust) that checkSignmeUser asks about live here too.
 */
import { HttpError } from '../framework';

export type SmsPurpose = 'eSign' | 'phone' | 'password';

export interface IdnowSms {
	to: string;
	text: string;
	tan: string;
	purpose: SmsPurpose;
	/** The order it belongs to; null for the password change. */
	orderId: string | null;
	account: string;
	at: number;
}

export type EmailKind = 'invitation' | 'OnPositiveIdent' | 'OnNegativeIdent' | 'OnTimeOut' | 'OnLeave';

export interface IdnowEmail {
	to: string;
	kind: EmailKind;
	orderId: string;
	text: string;
	at: number;
}

export class MessageLog {
	private smsLog: IdnowSms[] = [];
	private emailLog: IdnowEmail[] = [];

	reset(): void {
		this.smsLog = [];
		this.emailLog = [];
	}

	sms(): IdnowSms[] {
		return this.smsLog.map((message) => ({ ...message }));
	}

	emails(): IdnowEmail[] {
		return this.emailLog.map((message) => ({ ...message }));
	}

	recordSms(message: IdnowSms): void {
		this.smsLog.push(message);
	}

	recordEmail(message: IdnowEmail): void {
		this.emailLog.push(message);
	}
}

/** The text of a TAN SMS: the order's own text (putOrder's eSignTanSmsText / verificationSmsText) or a default. */
export function tanText(template: unknown, tan: string, fallback: string): string {
	return (typeof template === 'string' ? template : fallback).split('[TAN]').join(tan);
}

export type SignatureType = 'QES' | 'ADV' | 'BAS';
export const SIGNATURE_TYPES: readonly SignatureType[] = ['QES', 'ADV', 'BAS'];

export interface SignmeUser {
	email: string;
	/** The signature types the account can sign with; empty while not verified. */
	ableToSign: SignatureType[];
}

/** The sandbox's sign-me (D-Trust) accounts at start: one of each kind a client has to tell apart. */
export const DEFAULT_SIGNME_USERS: readonly SignmeUser[] = [
	{ email: 'signme.qes@example.com', ableToSign: ['QES', 'ADV', 'BAS'] },
	{ email: 'signme.basic@example.com', ableToSign: ['BAS'] },
	{ email: 'signme.unverified@example.com', ableToSign: [] },
];

export class SignmeRegistry {
	private users = new Map<string, SignmeUser>();

	constructor() {
		this.reset();
	}

	reset(): void {
		this.users = new Map(
			DEFAULT_SIGNME_USERS.map((user) => [user.email.toLowerCase(), { ...user, ableToSign: [...user.ableToSign] }]),
		);
	}

	all(): SignmeUser[] {
		return [...this.users.values()].map((user) => ({ ...user, ableToSign: [...user.ableToSign] }));
	}

	exists(email: string | null): boolean {
		return email !== null && this.users.has(email.toLowerCase());
	}

	/** checkSignmeUser: without a type, "able to sign" means a qualified (QES) signature. */
	check(email: string, type: SignatureType | undefined): { UserExists: boolean; UserIsAbleToSign: boolean } {
		const user = this.users.get(email.toLowerCase());
		return { UserExists: user !== undefined, UserIsAbleToSign: user?.ableToSign.includes(type ?? 'QES') ?? false };
	}

	/** An eSign order created (94) or verified (95) the account of its e-mail address. */
	record(email: string | null, change: 'created' | 'verified'): void {
		if (email === null) return;
		const key = email.toLowerCase();
		const ableToSign = change === 'verified' ? [...SIGNATURE_TYPES] : (this.users.get(key)?.ableToSign ?? []);
		this.users.set(key, { email, ableToSign });
	}

	put(user: SignmeUser): SignmeUser {
		if (typeof user.email !== 'string' || !user.email.includes('@')) {
			throw new HttpError(400, 'email must be an e-mail address');
		}
		if (!Array.isArray(user.ableToSign) || !user.ableToSign.every((type) => SIGNATURE_TYPES.includes(type))) {
			throw new HttpError(400, `ableToSign must list signature types out of ${SIGNATURE_TYPES.join(', ')}`);
		}
		this.users.set(user.email.toLowerCase(), { email: user.email, ableToSign: [...user.ableToSign] });
		return { ...user };
	}
}
