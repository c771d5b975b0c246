/**
 * Customer accounts: HTTP Basic authentication, the settings IDnow's support would configure, and the
 * programmatic password change of chapter 9.2 (request with the registered mobile number, confirm with the SMS TAN;
 * the new password replaces the old one at once).
 */
import { timingSafeEqual } from 'node:crypto';

import { HttpError, type SandboxRequest } from '../framework';
import { parseAesKey } from './crypt';
import { isHttpUrl, isRecord, newPassword } from './format';
import { MIN_VIDEO_BYTES } from './media';
import { PHONE_NUMBER } from './validation';
import { WEBHOOK_METHODS } from './webhooks';
import {
	DEFAULT_ACCOUNT_SETTINGS,
	WEBHOOK_KINDS,
	type IdnowAccountConfig,
	type IdnowAccountSettings,
	type WebhookKind,
} from './types';

export const AUTH_FAILED = 'Authentication failed, please check username and password';
/** How long a password-change TAN stays usable (the document gives no limit). */
export const PASSWORD_TAN_LIFETIME_MS = 10 * 60 * 1000;

export interface StoredAccount {
	user: string;
	password: string;
	settings: IdnowAccountSettings;
	/** A requested password change waiting for its TAN. */
	passwordChange: { tan: string; expiresAt: number } | null;
}

export interface IdnowAccountView extends IdnowAccountSettings {
	user: string;
	password: string;
	passwordChangePending: boolean;
}

export class AccountBook {
	private accounts = new Map<string, StoredAccount>();

	constructor(private readonly configs: readonly IdnowAccountConfig[]) {
		this.reset();
	}

	/** Back to the constructor's accounts: passwords changed through the API come back too. */
	reset(): void {
		this.accounts = new Map(
			this.configs.map((config) => {
				const { user, password, ...settings } = config;
				const stored: StoredAccount = {
					user,
					password,
					settings: checkedSettings({ ...DEFAULT_ACCOUNT_SETTINGS, ...settings }),
					passwordChange: null,
				};
				return [user, stored];
			}),
		);
	}

	get(user: string): StoredAccount {
		const account = this.accounts.get(user);
		if (account === undefined) throw new HttpError(404, `no IDnow account ${user}`);
		return account;
	}

	all(): StoredAccount[] {
		return [...this.accounts.values()];
	}

	view(user: string): IdnowAccountView {
		const account = this.get(user);
		return {
			user: account.user,
			password: account.password,
			...structuredClone(account.settings),
			passwordChangePending: account.passwordChange !== null,
		};
	}

	configure(user: string, changes: Partial<IdnowAccountSettings>): IdnowAccountView {
		const account = this.get(user);
		account.settings = checkedSettings({ ...account.settings, ...changes });
		return this.view(user);
	}

	/** The account whose user name and password the Basic header carries; otherwise the document's 401. */
	authenticate(request: SandboxRequest): StoredAccount {
		const encoded = /^Basic\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
		const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
		const separator = decoded.indexOf(':');
		const account = separator < 0 ? undefined : this.accounts.get(decoded.slice(0, separator));
		if (account === undefined || !sameText(account.password, decoded.slice(separator + 1))) {
			throw new HttpError(401, AUTH_FAILED, { 'www-authenticate': 'Basic realm="identity.TM"' });
		}
		return account;
	}

	/** Step 1 of 9.2: the mobile number must be the one registered with IDnow's service desk; then the TAN goes out. */
	requestPasswordChange(account: StoredAccount, mobile: unknown, now: number, sendTan: (to: string) => string): void {
		if (typeof mobile !== 'string' || !PHONE_NUMBER.test(mobile)) {
			throw new HttpError(400, 'mobile: must be an international number without blanks, e.g. +491701234567');
		}
		if (account.settings.mobile === null || account.settings.mobile !== mobile) {
			throw new HttpError(401, 'Authentication failed, please check username, password and mobile number');
		}
		account.passwordChange = { tan: sendTan(mobile), expiresAt: now + PASSWORD_TAN_LIFETIME_MS };
	}

	/** Step 2: the right TAN sets and returns a new password; a wrong one cancels the request. */
	confirmPasswordChange(account: StoredAccount, tan: string, now: number): string {
		const pending = account.passwordChange;
		account.passwordChange = null;
		if (pending === null || pending.expiresAt <= now || !sameText(pending.tan, tan)) {
			throw new HttpError(401, 'Authentication failed, please check username, password, and TAN');
		}
		account.password = newPassword();
		return account.password;
	}
}

function sameText(expected: string, given: string): boolean {
	const a = Buffer.from(expected);
	const b = Buffer.from(given);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** Settings arrive as JSON through the control surface too, so they are checked rather than trusted. */
function checkedSettings(settings: IdnowAccountSettings): IdnowAccountSettings {
	const problem = settingsProblem(settings);
	if (problem !== undefined) throw new HttpError(400, problem);
	return structuredClone(settings);
}

function settingsProblem(settings: IdnowAccountSettings): string | undefined {
	const known = Object.keys(DEFAULT_ACCOUNT_SETTINGS);
	const unknown = Object.keys(settings).filter((key) => !known.includes(key));
	if (unknown.length > 0) return `unknown account setting ${unknown.join(', ')}; known: ${known.join(', ')}`;
	if (!['array', 'object'].includes(settings.identDataFormat)) return 'identDataFormat must be "array" or "object"';
	if (!WEBHOOK_METHODS.includes(settings.webhookMethod)) return 'webhookMethod must be GET, POST or PUT';
	if (!['mp4', 'webm'].includes(settings.videoFormat)) return 'videoFormat must be "mp4" or "webm"';
	if (settings.aesKey !== null && !isAesKey(settings.aesKey)) return 'aesKey must be 64 hex characters or null';
	if (settings.mobile !== null && !(typeof settings.mobile === 'string' && PHONE_NUMBER.test(settings.mobile))) {
		return 'mobile must be an international number like +491701234567, or null';
	}
	return webhookProblem(settings.webhooks) ?? numbersProblem(settings) ?? flagsProblem(settings);
}

function isAesKey(value: unknown): boolean {
	try {
		parseAesKey(value as string);
		return true;
	} catch {
		return false;
	}
}

function webhookProblem(webhooks: unknown): string | undefined {
	if (!isRecord(webhooks)) return 'webhooks must be an object of webhook kind → URL';
	for (const [kind, url] of Object.entries(webhooks)) {
		if (!WEBHOOK_KINDS.includes(kind as WebhookKind)) {
			return `webhooks: unknown kind ${kind}; known: ${WEBHOOK_KINDS.join(', ')}`;
		}
		if (!isHttpUrl(url)) return `webhooks.${kind} must be an absolute http(s) URL`;
	}
	return undefined;
}

function numbersProblem(settings: IdnowAccountSettings): string | undefined {
	const durations = ['videoProvisioningDelayMs', 'testrobotDelayMs', 'orderTimeoutMs', 'dataRetentionMs'] as const;
	for (const name of durations) {
		if (!Number.isFinite(settings[name]) || settings[name] < 0) return `${name} must be a non-negative number of ms`;
	}
	if (!Number.isSafeInteger(settings.videoSizeBytes) || settings.videoSizeBytes < MIN_VIDEO_BYTES) {
		return `videoSizeBytes must be an integer of at least ${MIN_VIDEO_BYTES}`;
	}
	if (!Array.isArray(settings.products) || !settings.products.every(Number.isInteger)) {
		return 'products must be a list of product numbers';
	}
	const codes = settings.statusChangeCodes;
	if (codes !== 'all' && !(Array.isArray(codes) && codes.every(Number.isInteger))) {
		return 'statusChangeCodes must be "all" or a list of status codes';
	}
	return undefined;
}

function flagsProblem(settings: IdnowAccountSettings): string | undefined {
	const flags = [
		'integration',
		'customerSideSigning',
		'phoneVerification',
		'recordVideo',
		'recordVoice',
		'strictRequired',
		'collectUserIp',
	] as const;
	const bad = flags.find((name) => typeof settings[name] !== 'boolean');
	return bad === undefined ? undefined : `${bad} must be a boolean`;
}
