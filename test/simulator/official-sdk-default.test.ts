import { officialSdkSpec } from './official-sdk-spec.js';

// The official JS SDK, unchanged, against the simulator's "default" delivery profile.
officialSdkSpec('default');
