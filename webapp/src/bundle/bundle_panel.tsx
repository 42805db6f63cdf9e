import React from 'react';

import {ExportBundle} from './export_bundle';
import {ImportBundle} from './import_bundle';
import {bundleMessages as m} from './messages';

import type {Client} from '../client';
import {AdminPanel} from '../components/admin_panel';
import {WriteControls} from '../components/read_only';

/** The staging → production bundle, beside the config snapshot in the Readiness tab. */
export function BundlePanel({client}: {client: Client}) {
    return (
        <AdminPanel
            title={m.title}
            subtitle={m.subtitle}
        >
            <WriteControls>
                <ExportBundle client={client}/>
                <ImportBundle client={client}/>
            </WriteControls>
        </AdminPanel>
    );
}
