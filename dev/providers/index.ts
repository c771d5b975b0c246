/** Every provider's harness module. A new provider adds its file here (and its simulator to the sandbox registry). */
import { eeid } from './eeid';
import type { ProviderHarness } from './types';

export const providers: ProviderHarness[] = [eeid];
