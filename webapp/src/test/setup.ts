import '@testing-library/jest-dom';
import {configure} from '@testing-library/react';

// findBy*/waitFor give up after 1 s by default, and a test after 5 s: latency budgets, not correctness checks. On
// a shared two-core CI machine running three jest projects at once, a render that takes longer than a second is
// not a failure; a screen that never shows what is awaited still fails (after 5 s), and a stuck test after 30 s.
configure({asyncUtilTimeout: 5000});
jest.setTimeout(30000);
