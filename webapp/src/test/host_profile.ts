// Which host profile (webapp/host_profiles/profiles.js) the running jest project is for. jest.config.js makes one
// webapp project per profile, maps react/react-dom to the profile's copies and sets the HOST_PROFILE global.
import fs from 'fs';
import path from 'path';

// eslint-disable-next-line global-require -- profiles.js is CommonJS shared with jest.config.js and webpack, without types.
const {hostProfiles} = require('../../host_profiles/profiles') as {hostProfiles: HostProfile[]};

export interface HostProfile {
    id: string;
    releases: string;
    modules: Record<string, string>;
    jsxRuntimeGlobals: boolean;
}

declare const HOST_PROFILE: string | undefined;

export function currentHostProfile(): HostProfile {
    const id = typeof HOST_PROFILE === 'string' ? HOST_PROFILE : '';
    const profile = hostProfiles.find((p) => p.id === id);
    if (!profile) {
        throw new Error(`no host profile "${id}": run the webapp tests through jest.config.js's per-profile projects`);
    }
    return profile;
}

/** The version the profile declares for a module (the package.json whose node_modules holds it), e.g. '19.2.9'. */
export function declaredVersion(profile: HostProfile, name: string): string {
    const owner = path.join(profile.modules[name], '..', '..', 'package.json');
    return JSON.parse(fs.readFileSync(owner, 'utf8')).dependencies[name];
}
