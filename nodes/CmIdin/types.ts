/** The iDIN invites API's shapes, as the document shows them. Results are read defensively: any field may be absent. */
import type { IdinAttribute, IdinEventName } from './constants';

export type IdinPersonStatus = 'success' | 'cancelled' | 'failure' | 'expired';

export interface IdinGroup {
	id: string;
	name: string;
	status: 'pending' | 'completed' | 'declined' | 'expired' | string;
	expires_at?: string;
	updated_at?: string;
	created_at?: string;
}

/** The bank's answer about the person: only the attributes that were asked for and that the bank has. */
export interface IdinResult {
	transaction_id?: string;
	/** The bank's BIC, e.g. ABNANL2A. */
	issuer_id?: string;
	status?: string;
	/** The Bank Identification Number: the person's stable pseudonym towards this CM client. */
	bin?: string;
	name?: {
		gender?: string;
		initials?: string;
		first_name?: string;
		last_name?: string;
		last_name_prefix?: string;
	};
	address?: {
		street?: string;
		house_number?: string;
		house_number_suffix?: string;
		postal_code?: string;
		city?: string;
		country?: string;
	};
	age?: {
		date_of_birth?: string;
		'18y_or_older'?: boolean;
	};
	telephone_number?: string;
	email_address?: string;
	[key: string]: unknown;
}

/** A person as adding (with attributes) or retrieving (without) answers it. */
export interface IdinPerson {
	id: string;
	name?: string;
	email_address?: string;
	attributes?: Partial<Record<IdinAttribute, boolean | string>>;
	redirect_url?: string | null;
	/** null until the person has tried. */
	status: IdinPersonStatus | string | null;
	result: IdinResult | null;
	updated_at?: string;
	created_at?: string;
	[key: string]: unknown;
}

export interface IdinInvite {
	id: string;
	url: string;
	email: boolean;
	expires_at?: string;
	updated_at?: string;
	created_at?: string;
}

export interface IdinPersonBody {
	name: string;
	email_address: string;
	attributes: Record<IdinAttribute, boolean>;
}

/** A webhook event; `person` is set for person events. */
export interface IdinWebhookEvent {
	id: string;
	event: IdinEventName | string;
	group: string;
	person?: string;
	status: string | null;
	created?: string;
}
