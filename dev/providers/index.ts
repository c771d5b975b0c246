/** Every provider's harness module. A new provider adds its file here (and its simulator to the sandbox registry). */
import { eeid } from './eeid';
import { itsme } from './itsme';
import { idin } from './idin';
import { idnow } from './idnow';
import type { ProviderHarness } from './types';

export const providers: ProviderHarness[] = [eeid, idin, itsme, idnow];
