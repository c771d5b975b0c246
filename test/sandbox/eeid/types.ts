/**
 * The eeID simulator's vocabulary: paths, the sandbox's services, the request as the API returns it, the
 * settings, and the stored form of a request shared by the modules of this folder.
 */
import type { SandboxClock } from '../framework';

export interface EeIdClient {
	clientId: string;
	clientSecret: string;
	/** Where completion webhooks go, as configured in the eeID manager; must contain the documented path. */
	webhookUrl?: string;
}

/** The service the registry's credential and most tests use. */
export const EEID_TEST_CLIENT: Readonly<EeIdClient> = {
	clientId: 'oidc-sandbox-client-1',
	clientSecret: 'sandbox-secret-eeid-client-1-not-for-production',
};

/** A second service of the same customer, for "several services mean several secrets". */
export const EEID_SECOND_CLIENT: Readonly<EeIdClient> = {
	clientId: 'oidc-sandbox-client-2',
	clientSecret: 'sandbox-secret-eeid-client-2-not-for-production',
};

export const EEID_TOKEN_PATH = '/api/auth/v1/token';
export const EEID_REQUESTS_PATH = '/api/ident/v1/identification_requests';
export const EEID_WEBHOOK_PATH_MARKER = 'eeid/webhooks/identification_requests';
/** The person's page behind a request's `link`: `<baseUrl>/ident/<id>`. */
export const EEID_LINK_PATH = '/ident';

export const CLAIM_TYPES = ['sub', 'name', 'birthdate', 'country'] as const;
export type EeIdClaimType = (typeof CLAIM_TYPES)[number];
export type EeIdStatus = 'pending' | 'completed' | 'expired';

export interface EeIdClaim {
	type: EeIdClaimType;
	value: string;
}

export interface EeIdCreateBody {
	reference?: string | null;
	claims_required: EeIdClaim[];
	/** In an earlier version of the public spec; still accepted, optional. */
	reason?: string | null;
	reason_translations?: Partial<Record<'en' | 'et' | 'ru', string>>;
}

/** The login method in `result.authentication_type` (eeID knows more; these are the ones the sandbox offers). */
export type EeIdAuthenticationType = 'ID_CARD' | 'SMART_ID' | 'MOBILE_ID';
export const AUTHENTICATION_TYPES: readonly EeIdAuthenticationType[] = ['ID_CARD', 'SMART_ID', 'MOBILE_ID'];

/** Who identifies on a request's link: the sandbox builds `result` from this. */
export interface EeIdPerson {
	/** National id or document number with its country prefix, e.g. `EE30303039914`. */
	sub: string;
	givenName: string;
	familyName: string;
	/** YYYY-MM-DD. */
	dateOfBirth: string;
	authenticationType: EeIdAuthenticationType;
	/**
	 * Set for a document-based identification: the result then also carries `country` (the sub's prefix),
	 * `id_number` (the sub without it) and `document_number` (this).
	 */
	documentNumber?: string;
}

export interface EeIdClaimMismatch {
	expected: string;
	/** What the result says; null when it says nothing. */
	actual: string | null;
}

/** eeID's verdict on a completed request: did the person who identified have the required claims? */
export interface EeIdClaimsComparison {
	/** true: every non-blank required claim matched; false: at least one did not; null: not completed. */
	claims_matched: boolean | null;
	mismatched_claims: Partial<Record<EeIdClaimType, EeIdClaimMismatch>>;
	claims_comparison_errors: string[];
}

/** An identification request as the API returns it. */
export interface EeIdIdentificationRequest {
	id: string;
	link: string;
	link_expires_at: string;
	claims_required: EeIdClaim[];
	completed_at: string | null;
	status: EeIdStatus;
	created_at: string;
	result: Record<string, unknown>;
	client_id: string;
	reference: string | null;
	reason: string | null;
	/** The three comparison fields are absent when the `claimsComparison` setting is off (older eeID). */
	claims_matched?: boolean | null;
	mismatched_claims?: EeIdClaimsComparison['mismatched_claims'];
	claims_comparison_errors?: string[];
}

/** What can be switched while the simulator runs (`configure`, `PUT /__sandbox/eeid/settings`). */
export interface EeIdSettings {
	/** Index of the first page of the listing (the spec says both 1 and 0). Default 1. */
	pageBase: 0 | 1;
	/** Filler bytes added to every proof-of-identity PDF, for memory benchmarks. Default 0. */
	proofPaddingBytes: number;
	/** `result` key of the family name: current spec `family_name`, the seed's example `last_name`. */
	familyNameKey: 'family_name' | 'last_name';
	/** `result` key of the birth date: current spec `date_of_birth`, older `birthdate`. */
	birthDateKey: 'date_of_birth' | 'birthdate';
	/** Include claims_matched, mismatched_claims and claims_comparison_errors. Off = eeID before the comparison. */
	claimsComparison: boolean;
	/** A second create with a reference the service already used answers 422. Default off. */
	uniqueReferences: boolean;
	/** How long a webhook receiver may take before the attempt counts as failed (real ms). Default 10 000. */
	webhookTimeoutMs: number;
}

export const DEFAULT_SETTINGS: Readonly<EeIdSettings> = {
	pageBase: 1,
	proofPaddingBytes: 0,
	familyNameKey: 'family_name',
	birthDateKey: 'date_of_birth',
	claimsComparison: true,
	uniqueReferences: false,
	webhookTimeoutMs: 10_000,
};

export interface EeIdSimulatorOptions extends Partial<EeIdSettings> {
	port?: number;
	clock?: SandboxClock;
	/** Default: EEID_TEST_CLIENT and EEID_SECOND_CLIENT. */
	clients?: EeIdClient[];
}

/** A request as the simulator keeps it. */
export interface StoredRequest {
	id: string;
	clientId: string;
	/** Creation order, to keep the listing stable when several requests share a created_at. */
	sequence: number;
	createdAt: number;
	linkExpiresAt: number;
	claims: EeIdClaim[];
	reference: string | null;
	reason: string | null;
	reasonTranslations: Record<string, string>;
	status: EeIdStatus;
	completedAt: number | null;
	result: Record<string, unknown>;
	/**
	 * True when the sandbox built `result` from a person (current-spec keys, renamed on output by the shape
	 * settings); false when a test gave it as is (served untouched).
	 */
	resultGenerated: boolean;
	comparison: EeIdClaimsComparison;
}
