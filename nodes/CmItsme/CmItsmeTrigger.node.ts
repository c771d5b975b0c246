import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { manuallyRegisteredWebhooks } from '../shared/webhookTrigger';
import { ITSME_CREDENTIAL, ITSME_CREDENTIAL_TEST, ITSME_ICON } from './constants';
import { testMerchantToken } from './credentialTest';
import { LOCALE_OPTIONS, scopesProperty, serviceProperty } from './properties';
import { DEFAULT_TIME_TO_FINISH_SECONDS, finishSignIn, startSignIn } from './signIn';

export class CmItsmeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CM itsme Trigger',
		name: 'cmItsmeTrigger',
		icon: ITSME_ICON,
		group: ['trigger'],
		version: 1,
		subtitle: '=Sign in with itsme',
		description:
			'A hosted "Sign in with itsme" page: send people to its start URL; the workflow starts with their verified identity when they come back',
		defaults: { name: 'CM itsme Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: ITSME_CREDENTIAL, required: true, testedBy: ITSME_CREDENTIAL_TEST }],
		// n8n allows the names default and setup only: default is the start URL people open, setup the return URL
		// itsme sends them back to (hidden in the editor: it is only ever reached through itsme).
		webhooks: [
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', path: 'itsme/start' },
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'itsme/return', ndvHideUrl: true },
		],
		properties: [
			{
				displayName:
					'Send people to the start URL above (Production URL, or Test URL while listening in the editor). It accepts ?phoneNumber=+32…&locale=nl&reference=order-1001. itsme sends them back here; the workflow then starts with the status CM reports and, on success, the person\'s data.',
				name: 'startNotice',
				type: 'notice',
				default: '',
			},
			serviceProperty,
			scopesProperty,
			{
				displayName: 'Locale',
				name: 'locale',
				type: 'options',
				default: '',
				options: [{ name: 'Not Sent', value: '' }, ...LOCALE_OPTIONS],
				description: "The language of the itsme pages (not sent: itsme's own choice); a locale in the start URL wins",
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Failure URL',
						name: 'failureUrl',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/itsme-failed',
						description:
							'Where the person goes when the sign-in was cancelled, failed or expired, with status (and reference) added to its query. Empty: a built-in page.',
					},
					{
						displayName: "Include CM's Answer",
						name: 'includeRaw',
						type: 'boolean',
						default: false,
						description: "Whether to put CM's status answer, as it came, into identity.raw",
					},
					{
						displayName: 'Only Verified Sign-Ins',
						name: 'onlyVerified',
						type: 'boolean',
						default: false,
						description:
							'Whether to start the workflow only when itsme confirmed the person. Otherwise cancelled, failed and expired sign-ins start it too, with verified false.',
					},
					{
						displayName: 'Success URL',
						name: 'successUrl',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/welcome',
						description:
							'Where the person goes after a verified sign-in, with status (and reference) added to its query. Empty: a built-in page.',
					},
					{
						displayName: 'Time to Finish (Seconds)',
						name: 'timeToFinishSeconds',
						type: 'number',
						default: DEFAULT_TIME_TO_FINISH_SECONDS,
						typeOptions: { minValue: 10, maxValue: 3600 },
						description: 'How long after the start a return from itsme is accepted',
					},
				],
			},
		],
	};

	methods = { credentialTest: { [ITSME_CREDENTIAL_TEST]: testMerchantToken } };

	// itsme calls nothing back: the return URL travels in each transaction, so there is nothing to register.
	webhookMethods = manuallyRegisteredWebhooks;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return this.getWebhookName() === 'setup' ? await finishSignIn(this) : await startSignIn(this);
	}
}
