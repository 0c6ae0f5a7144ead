import { officialSdkSpec } from './official-sdk-spec.js';

// The official JS SDK, unchanged, against the simulator's "realistic" delivery profile.
officialSdkSpec('realistic');
