/**
 * The document's status codes (3.2.3) and sub-status codes (3.2.3.1): what each means, whether only the
 * ExtendedList variant of getStatus lists it, and whether it ends an identification order or an eSign order
 * (3.2.1: eSign orders end on other codes). The sub-status table is garbled in the document; its grouping here
 * follows the table's row order, as the sandbox's does (test/sandbox/idnow/README.md).
 */

export interface IdnowStatusCode {
	code: number;
	meaning: string;
	/** Ends an identification (non-eSign) order. */
	finalIdent: boolean;
	/** Ends an eSign order. */
	finalESign: boolean;
	/** Only listed by the ExtendedList variant of getStatus. */
	extended: boolean;
}

type Row = [code: number, meaning: string, finalIdent: 'Y' | 'N', finalESign: 'Y' | 'N', extended: 'Y' | 'N'];

const ROWS: Row[] = [
	[6, 'Identification positively conducted', 'Y', 'N', 'N'],
	[7, 'E-mail has been sent', 'N', 'N', 'Y'],
	[11, 'Order is being processed by QM', 'N', 'N', 'N'],
	[12, 'Customer could not be reached by phone', 'N', 'N', 'N'],
	[14, 'Document sent to client', 'N', 'N', 'N'],
	[16, 'Identification refused by customer', 'Y', 'Y', 'N'],
	[17, 'Identification negatively conducted', 'Y', 'Y', 'N'],
	[21, 'The processing was aborted', 'N', 'N', 'N'],
	[22, 'The processing was terminated', 'Y', 'Y', 'N'],
	[23, 'Document verified', 'N', 'N', 'Y'],
	[24, 'Document erroneous in postprocessing', 'N', 'N', 'Y'],
	[25, 'Order initialized', 'N', 'N', 'Y'],
	[29, 'Uncorrectable error in external system', 'N', 'N', 'Y'],
	[30, 'Order has been processed by QM', 'N', 'N', 'N'],
	[49, 'eID IDapp link created', 'N', 'N', 'Y'],
	[50, 'eID IDapp request', 'N', 'N', 'Y'],
	[51, 'eID data gathered', 'N', 'N', 'Y'],
	[53, 'eID aborted/not possible', 'N', 'N', 'Y'],
	[54, 'Support', 'N', 'N', 'Y'],
	[55, 'Customer could not be reached by phone', 'N', 'N', 'N'],
	[56, 'Phone number is incorrect', 'N', 'N', 'N'],
	[57, 'Identification not possible, customer was repeatedly not present at appointments', 'N', 'N', 'N'],
	[58, 'Identification refused by customer by phone', 'Y', 'Y', 'N'],
	[63, 'Cancellation', 'Y', 'Y', 'N'],
	[68, 'Change of procedure to Shop', 'N', 'N', 'N'],
	[70, 'Spoken on answering machine', 'N', 'N', 'Y'],
	[71, 'SMS sent', 'N', 'N', 'Y'],
	[73, 'Change of procedure to Video', 'N', 'N', 'N'],
	[74, 'Change of procedure to eID', 'N', 'N', 'Y'],
	[75, 'Video identification conducted', 'N', 'N', 'N'],
	[77, 'Video identification in waiting room', 'N', 'N', 'Y'],
	[78, 'Video identification call has begun', 'N', 'N', 'Y'],
	[79, 'Video identification call has been left', 'N', 'N', 'Y'],
	[80, 'Identification data ready for pick-up', 'N', 'N', 'N'],
	[83, 'Document signature request', 'N', 'N', 'Y'],
	[84, 'Document signed', 'N', 'Y', 'Y'],
	[87, 'Request for new Order', 'N', 'N', 'N'],
	[89, 'Possible fraud attempt by customer', 'N', 'N', 'Y'],
	[94, 'eSign Account created', 'N', 'N', 'Y'],
	[95, 'eSign Account verified', 'N', 'N', 'Y'],
	[96, 'eSign Account already exists', 'N', 'N', 'Y'],
	[98, 'Change of procedure to autoID', 'N', 'N', 'N'],
	[99, 'TimeOut', 'Y', 'Y', 'N'],
	[100, 'TimeOut after identification', 'Y', 'Y', 'N'],
	[101, 'eSign documents verified and hashes generated', 'N', 'N', 'Y'],
	[102, 'eSign document preview', 'N', 'N', 'Y'],
	[103, 'eSign aborted', 'N', 'Y', 'N'],
	[104, 'Video ident waiting for verification', 'N', 'N', 'Y'],
	[105, 'Ident is under verification', 'N', 'N', 'Y'],
	[106, 'Video Ident verification positive', 'N', 'N', 'Y'],
	[107, 'Video Ident verification data error found', 'N', 'N', 'Y'],
	[108, 'Video Ident verification negative', 'N', 'N', 'Y'],
	[109, 'autoID process not possible', 'N', 'N', 'Y'],
	[139, 'Correctable error in external system, please try', 'N', 'N', 'Y'],
	[153, 'autoId abort', 'N', 'N', 'Y'],
	[10000, 'no address verification', 'N', 'N', 'Y'],
	[10001, 'no additional document', 'N', 'N', 'Y'],
	[10002, 'customer without identification document', 'N', 'N', 'Y'],
	[10003, 'photo resolution too low to read text', 'N', 'N', 'Y'],
	[10004, 'customer not present', 'N', 'N', 'Y'],
	[10005, 'customer less than minimum age', 'N', 'N', 'Y'],
	[10006, 'poor lighting conditions', 'N', 'N', 'Y'],
	[10007, 'identification document unrecognisable', 'N', 'N', 'Y'],
	[10008, 'Other cancellation reasons', 'N', 'N', 'Y'],
	[10009, 'identical selfies or images', 'N', 'N', 'Y'],
	[10010, 'Paper driving licence not all pages visible in the photo', 'N', 'N', 'Y'],
	[20000, 'Photo in document does not match person', 'N', 'N', 'Y'],
	[20001, 'Document looks forged', 'N', 'N', 'Y'],
	[20002, 'Repetitive fraud attempt', 'N', 'N', 'Y'],
	[20003, 'Fraud attempt', 'N', 'N', 'Y'],
	[20004, 'Negative according to test criteria', 'N', 'N', 'Y'],
	[20005, 'Document not supported', 'N', 'N', 'Y'],
	[20006, 'Document expired', 'N', 'N', 'Y'],
	[20007, 'Document damaged', 'N', 'N', 'Y'],
	[20008, 'Date of issue Driving licence class B not readable', 'N', 'N', 'Y'],
	[20009, 'Driving licence expired', 'N', 'N', 'Y'],
	[20010, 'Driving licence not supported', 'N', 'N', 'Y'],
	[20011, 'Driving licence damaged', 'N', 'N', 'Y'],
];

export const IDNOW_STATUS_CODES: readonly IdnowStatusCode[] = ROWS.map(
	([code, meaning, finalIdent, finalESign, extended]) => ({
		code,
		meaning,
		finalIdent: finalIdent === 'Y',
		finalESign: finalESign === 'Y',
		extended: extended === 'Y',
	}),
);

const SUB_ROWS: Array<[code: number, entries: Array<[subCode: number, meaning: string]>]> = [
	[6, [[19, 'Order with signed ident data']]],
	[
		7,
		[
			[10, 'User left video call'],
			[12, 'Invitation to identification'],
			[21, 'Temporary cancellation / technical abort with retry option'],
			[24, 'Reminder'],
			[25, 'Final message'],
			[28, 'TAN'],
			[33, 'Shop invitation'],
			[37, 'Signature re-entry link'],
			[55, 'Identification appointment'],
			[58, 'eSign reminder'],
		],
	],
	[
		17,
		[
			[43, 'Document not supported'],
			[48, 'Identification criteria'],
			[61, 'TAN tried too often'],
			[72, 'Identification document photo does not match person'],
			[73, 'Identification document invalid, expired, non-existent, or not permitted'],
			[74, 'Address confirmation document invalid, expired, non-existent, or not permitted'],
			[75, "Driver's license invalid, expired, non-existent, or not permitted"],
		],
	],
	[
		21,
		[
			[14, 'Unable to establish video connection to user'],
			[15, 'Resolution too low to conduct video identification'],
			[18, 'Unable to establish audio connection to user'],
			[22, 'User not present'],
			[27, 'Unsupported identification document'],
			[29, 'Identification data does not match'],
			[32, 'User without identification document'],
			[34, 'User speaks no supported language'],
			[36, 'Other reasons'],
			[38, 'Identification document damaged'],
			[39, 'Lighting conditions too poor to conduct identification'],
			[42, 'Identification document expired'],
			[47, 'Negative due to identification criteria'],
			[50, 'User unable to show any document'],
			[53, 'Type of identification document could not be determined'],
			[54, 'No address verification possible'],
		],
	],
	[
		23,
		[
			[20, 'Order with signed ident data'],
			[41, 'As configured'],
		],
	],
	[
		29,
		[
			[63, 'The certificate associated with the key has expired'],
			[64, 'Existing Holder with different person data'],
			[
				65,
				'Mobile number already assigned to another holder with a certificate that is still valid and has not revoked',
			],
			[76, 'Mobile number already assigned to another holder till a specific date'],
		],
	],
	[58, [[30, 'User is no longer interested in product']]],
	[
		71,
		[
			[16, 'TAN'],
			[17, 'Namirial TAN'],
			[23, 'autoID'],
			[44, 'Sign-Me password'],
			[46, 'Reference'],
			[49, 'AES TAN'],
			[56, 'eSign re-entry TAN'],
			[62, 'eID TAN'],
		],
	],
	[103, [[79, 'PDF hashing failed']]],
	[139, [[66, 'Sending OTP TAN failed']]],
	[
		153,
		[
			[176, 'Document is blurry and mandatory data cannot be read due to the blur.'],
			[177, 'Document has glare and mandatory data cannot be read due to the glare.'],
			[
				178,
				'Pictures of the document are dark and it is not possible to read the mandatory data or verify the authenticity of the document.',
			],
			[179, 'Mandatory data is covered by the user while taking the picture.'],
			[
				180,
				'Document is positioned at such an angle that mandatory data cannot be read or document cannot be verified.',
			],
			[181, 'Any other reason due to which mandatory data cannot be read.'],
			[182, "Document used during the identification is not supported for the customer's use case."],
			[183, 'Document used during the identification is expired.'],
			[184, 'Wrong side of the document is scanned during the process.'],
			[185, 'Document is worn out. Either data cannot be read out or the document cannot be verified.'],
			[
				186,
				'Document has such stickers which are not acceptable and the document used is considered as damaged document.',
			],
			[187, 'Document has text written over it which makes the document not readable or not verifiable.'],
			[188, 'Document used during the identification is broken.'],
			[189, 'Any other reason for a damaged document.'],
			[190, 'Security features of the document are not visible because user did not move the document correctly.'],
			[191, 'Security feature video is too short to detect if there are holograms in the document.'],
			[192, 'Security feature video cannot be played for the agent to review holograms.'],
			[193, 'Any other issues with the security feature video.'],
			[194, 'Photo quality of the additional document in the process is not acceptable.'],
			[
				195,
				'Additional document used in the identification process is severely outworn, written or drawn on, ripped or broken.',
			],
			[196, 'Additional document used in the identification process is an expired document.'],
			[197, 'Additional document like Drivers License is missing in the identification process but it was required.'],
			[198, 'Any other issues with the additional document used in the identification process.'],
			[199, 'Any other issues with the document used in the identification process.'],
			[
				200,
				'Customer needs proof of address from the user as the additional document but user did not provide it in the identification process.',
			],
			[201, 'User has covered the face during the face comparison process unintentionally like wearing the face mask.'],
			[
				202,
				'Selfie taken by the user is blurry and cannot be used to compare the face with the identification document.',
			],
			[203, 'Photo of the user on the ID document has glares and selfie cannot be compared with it.'],
			[
				204,
				'Selfie taken by the user is too dark to compare the face of the person with the photo on the identification document.',
			],
			[
				205,
				'Selfie taken by the user is on such an angle that it is not possible to compare it with the photo on the identification document.',
			],
			[
				206,
				'Any other issues with the selfie which restrict ident specialist to compare the selfie of the user with the photo on the identification document.',
			],
			[207, 'Due to a technical reason, ident specialist cannot finish the identity verification process.'],
			[
				208,
				'Due to a technical reason, ident specialist cannot see the data submitted by the user in the identification process.',
			],
			[209, 'Any other reason due to which the identification process cannot be completed by the ident specialist.'],
		],
	],
];

const BY_CODE = new Map(IDNOW_STATUS_CODES.map((entry) => [entry.code, entry]));
const SUB_MEANINGS = new Map(
	SUB_ROWS.flatMap(([code, entries]) => entries.map(([subCode, meaning]) => [`${code}/${subCode}`, meaning] as const)),
);

export function statusCodeEntry(code: number): IdnowStatusCode | undefined {
	return BY_CODE.get(code);
}

export function subStatusMeaning(code: number, subCode: number): string | undefined {
	return SUB_MEANINGS.get(`${code}/${subCode}`);
}

/** Whether `code` ends an order of this kind; codes the table does not list end nothing. */
export function isFinalCode(code: number, eSign: boolean): boolean {
	const entry = BY_CODE.get(code);
	return entry !== undefined && (eSign ? entry.finalESign : entry.finalIdent);
}

/** The final status codes of one order kind, for messages and the README. */
export function finalCodes(eSign: boolean): number[] {
	return IDNOW_STATUS_CODES.filter((entry) => (eSign ? entry.finalESign : entry.finalIdent)).map((entry) => entry.code);
}
