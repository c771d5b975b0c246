/**
 * The status sequences an order goes through when somebody (the Testrobot, the landing page, a control) decides its
 * outcome: plausible successions of the document's codes per identification method, each step at a fraction of
 * the Testrobot delay so that the final status lands at the delay ("approximately 20 seconds after creation").
 */
import { ADD, PRODUCT, type IdentifyMethod, type Outcome, type StoredOrder } from './types';

export interface StatusStep {
	kind: number;
	subKind?: number;
	text?: string;
	/** The person is identified with this status: the result (checked data, images) exists from here on. */
	identify?: boolean;
	/** An agent flagged a possible fraud attempt (getIdentData's FraudAttempt). */
	fraud?: boolean;
	/** The eSign documents or hashes are signed. */
	sign?: boolean;
	/** The mobile number is proven (phone verification, mobile number verification product). */
	verifyPhone?: boolean;
	/** A sign-me account is created or verified for the order's e-mail address. */
	signme?: 'created' | 'verified';
}

export interface FlowStep extends StatusStep {
	/** Fraction of the Testrobot delay at which the step happens. */
	at: number;
}

export type FlowOutcome = Outcome | 'cancel';

export const TAN_TEXT = 'TAN';

export interface FlowContext {
	/** Chapter 5 enabled: eSign orders stop after the preview and wait for requestSign/confirmSign. */
	customerSideSigning: boolean;
	/** The order's e-mail already has a sign-me account (Add 4 then uses it). */
	signmeAccountExists: boolean;
}

/** Every step from the order's current state to `outcome`, in order. */
export function flowSteps(order: StoredOrder, outcome: FlowOutcome, context: FlowContext): FlowStep[] {
	if (outcome === 'cancel') return [{ at: 0, kind: 16 }];
	if (order.signedDataAccepted === true) return signingSteps(signedIdentSteps(), context);
	const identification = identificationSteps(order.method, order.product, outcome);
	if (!order.eSign) return identification;
	const signme = signmeSteps(order.add, context.signmeAccountExists);
	if (outcome !== 'positive') return [...signme.before, ...identification];
	// An eSign order identifies in the first 60% of the delay and signs in the rest.
	const identified = identification.map((step) => ({ ...step, at: step.at * 0.6 }));
	return signingSteps([...signme.before, ...identified, ...signme.after], context);
}

function identificationSteps(method: IdentifyMethod, product: number, outcome: Outcome): FlowStep[] {
	if (product === PRODUCT.mobile) return mobileSteps(outcome);
	if (method === 'eID') return eidSteps(outcome);
	const start: FlowStep[] =
		method === 'AutoID'
			? [{ at: 0.1, kind: 98 }]
			: [
					{ at: 0.1, kind: 77 },
					{ at: 0.2, kind: 78 },
					{ at: 0.7, kind: 79 },
					{ at: 0.7, kind: 75 },
				];
	const verification: FlowStep[] = [
		{ at: 0.8, kind: 104 },
		{ at: 0.85, kind: 105 },
	];
	return [...start, ...verification, ...verdict(outcome, [{ at: 1, kind: 23 }])];
}

/** The agents' verdict at the end of the delay. */
function verdict(outcome: Outcome, afterPositive: FlowStep[]): FlowStep[] {
	if (outcome === 'positive') {
		return [{ at: 0.9, kind: 106 }, { at: 1, kind: 6, identify: true }, ...afterPositive, { at: 1, kind: 80 }];
	}
	if (outcome === 'negative') {
		return [
			{ at: 0.9, kind: 108 },
			{ at: 1, kind: 17, subKind: 48 },
		];
	}
	return [
		{ at: 0.9, kind: 20003 },
		{ at: 0.95, kind: 89, identify: true, fraud: true },
		{ at: 1, kind: 17, subKind: 72 },
		{ at: 1, kind: 80 },
	];
}

function eidSteps(outcome: Outcome): FlowStep[] {
	const start: FlowStep[] = [
		{ at: 0.1, kind: 74 },
		{ at: 0.2, kind: 49 },
		{ at: 0.4, kind: 50 },
	];
	if (outcome === 'negative') return [...start, { at: 0.7, kind: 53 }, { at: 1, kind: 17, subKind: 48 }];
	const gathered: FlowStep = { at: 0.7, kind: 51 };
	if (outcome === 'positive') return [...start, gathered, { at: 1, kind: 6, identify: true }, { at: 1, kind: 80 }];
	return [...start, gathered, ...verdict('fraud', [])];
}

function mobileSteps(outcome: Outcome): FlowStep[] {
	const sms: FlowStep = { at: 0.2, kind: 71, subKind: 16, text: TAN_TEXT };
	if (outcome === 'positive') {
		return [sms, { at: 1, kind: 6, identify: true, verifyPhone: true }, { at: 1, kind: 80 }];
	}
	if (outcome === 'negative') return [sms, { at: 1, kind: 17, subKind: 61 }];
	return [
		sms,
		{ at: 0.95, kind: 89, identify: true, fraud: true },
		{ at: 1, kind: 17, subKind: 61 },
		{ at: 1, kind: 80 },
	];
}

/** IdentDataSigned accepted: no identification, straight to signing (sub-status 19 and 20). */
function signedIdentSteps(): FlowStep[] {
	return [
		{ at: 0.1, kind: 6, subKind: 19, identify: true },
		{ at: 0.1, kind: 23, subKind: 20 },
	];
}

/** Sign-me account handling by Add: 8 creates, 16 uses the existing one, 4 uses it if it exists, else creates. */
function signmeSteps(add: number, exists: boolean): { before: FlowStep[]; after: FlowStep[] } {
	const creates = (add & ADD.signmeCreate) !== 0 || ((add & ADD.signmeUseOrCreate) !== 0 && !exists);
	const uses = (add & ADD.signmeUseExisting) !== 0 || ((add & ADD.signmeUseOrCreate) !== 0 && exists);
	if (creates) {
		return {
			before: [{ at: 0.05, kind: 94, signme: 'created' }],
			after: [{ at: 0.6, kind: 95, signme: 'verified' }],
		};
	}
	return { before: uses ? [{ at: 0.05, kind: 96 }] : [], after: [] };
}

/** After identification: preview, then either the signature here or a wait for the customer's requestSign. */
function signingSteps(identified: FlowStep[], context: FlowContext): FlowStep[] {
	const prepared: FlowStep[] = [
		...identified.filter((step) => step.kind !== 80),
		{ at: 0.65, kind: 101 },
		{ at: 0.7, kind: 102 },
	];
	if (context.customerSideSigning) return prepared;
	return [
		...prepared,
		{ at: 0.8, kind: 83 },
		{ at: 0.8, kind: 71, subKind: 16, text: TAN_TEXT },
		{ at: 1, kind: 84, sign: true },
		{ at: 1, kind: 80 },
	];
}
