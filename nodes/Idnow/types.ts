/** IDnow identity.TM answers as the document describes them; every answer may carry fields added later (2.2). */
import type { IDataObject } from 'n8n-workflow';

/** putOrder's answer (3.1.5). */
export interface IdnowOrderAnswer extends IDataObject {
	OrderID: string;
	Ref?: string;
	TargetURL?: string;
	DeepLinkURL?: string;
	AutoIdURL?: string;
	SignedDataAccepted?: boolean;
	VideoHashes?: { ShortCode?: string; LongCode?: string };
}

/** One entry of getStatus's Status array (3.2.6). */
export interface IdnowStatusEntry extends IDataObject {
	Kind: number;
	SubKind?: number;
	Time: string;
	Text?: string;
}

export interface IdnowStatusAnswer extends IDataObject {
	OrderID: string;
	Ref: string;
	Executed: string;
	Status: IdnowStatusEntry[];
}

export interface IdnowImage extends IDataObject {
	Image: string;
	Filename: string;
}

/** getImages' answer (3.8.3): `{}` when no images were recorded. */
export interface IdnowImages extends IDataObject {
	Images?: IdnowImage[];
}

/** One IdentData entry (3.3.4): Type 1 the checked data, 2 the initial data from putOrder. */
export interface IdnowIdentEntry extends IDataObject {
	Type?: number;
}

/**
 * getIdentData's answer (3.3.4). IdentData is an array of entries, or (when the account includes images, 9.5) an
 * object with the entries under "0", "1", … and the images under "Images". `Identitfied` is the document's spelling.
 */
export interface IdnowIdentData extends IDataObject {
	Identitfied?: string;
	IdentifyMethod?: string;
	FraudAttempt?: boolean;
	IdentData?: IdnowIdentEntry[] | IDataObject;
	Images?: IdnowImage[];
}
