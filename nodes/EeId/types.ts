/** An identification request as eeID returns it. `result` is an open map: new claims may appear at any time. */
export interface EeIdIdentificationRequest {
	id: string;
	link?: string;
	link_expires_at?: string | null;
	claims_required: EeIdClaim[];
	completed_at: string | null;
	status: 'pending' | 'completed' | 'expired' | string;
	created_at?: string;
	result?: Record<string, unknown> | null;
	client_id?: string;
	reference?: string | null;
	reason?: string | null;
	/** true: every non-blank required claim matched; false: at least one did not; null: not completed. Absent in older answers. */
	claims_matched?: boolean | null;
	mismatched_claims?: Record<string, { expected?: unknown; actual?: unknown }> | null;
	claims_comparison_errors?: string[] | null;
	[key: string]: unknown;
}

export type EeIdClaimType = 'sub' | 'name' | 'birthdate' | 'country';

export interface EeIdClaim {
	type: EeIdClaimType;
	value: string;
}

export interface EeIdCreateBody {
	reference?: string;
	claims_required: EeIdClaim[];
	reason?: string;
	reason_translations?: { en?: string; et?: string; ru?: string };
}

export interface EeIdPage {
	page?: number;
	page_size?: number;
	total?: number;
	items?: EeIdIdentificationRequest[];
}

/** The body eeID POSTs to the webhook URL when a request completes. */
export interface EeIdWebhookBody {
	identification_request_id: string;
	client_id: string;
	reference?: string | null;
}
