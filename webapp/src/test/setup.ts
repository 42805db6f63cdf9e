import '@testing-library/jest-dom';
import {configure} from '@testing-library/react';

// findBy*/waitFor give up after 1 s by default: a latency budget, not a correctness check. On a shared two-core CI
// machine running three jest projects at once, a render that takes longer than a second is not a failure; a
// screen that never shows what is awaited still fails (after 5 s).
configure({asyncUtilTimeout: 5000});
