import {REFERENCE_ARCHITECTURES, sizingFor} from './sizing';

describe('sizingFor', () => {
    test.each([
        [150, 100, 200],
        [5000, 1500, 2000],
        [20000, 2001, 15000],
        [60000, 50000, 50000],
        [150000, 120000, 200000],
    ])('%i users with %i concurrent pick the %i tier', (users, concurrent, tier) => {
        expect(sizingFor(users, concurrent).architecture?.concurrent_users).toBe(tier);
    });

    test('above the largest tested architecture it says so', () => {
        const advice = sizingFor(400000, 300000);
        expect(advice.beyond_tested).toBe(true);
        expect(advice.architecture).toBe(REFERENCE_ARCHITECTURES[REFERENCE_ARCHITECTURES.length - 1]);
    });

    test('storage follows 5–25 MB per user per month with a 2× safety factor', () => {
        // The docs' 15,000-user example (1.8–9 TB a year) applies the factor; their 200- and
        // 2,000-user examples leave it out. We apply it everywhere, as the formula says.
        expect(sizingFor(15000, 2000).storage_gb_per_year).toEqual({low: 1800, high: 9000});
        expect(sizingFor(2000, 200).storage_gb_per_year).toEqual({low: 240, high: 1200});
        expect(sizingFor(200, 20).storage_gb_per_year).toEqual({low: 24, high: 120});
    });

    test('single-server guidance and load test advice', () => {
        expect(sizingFor(800, 100).single_server).toEqual({vcpu: 1, gib: 2});
        expect(sizingFor(1500, 100).single_server).toEqual({vcpu: 2, gib: 4});
        expect(sizingFor(5000, 100).single_server).toBeNull();
        expect(sizingFor(5000, 100).load_test_recommended).toBe(true);
    });
});
