import {defineMessages} from 'react-intl';

import type {BundlePart} from 'contract/bundle';

export const bundleMessages = defineMessages({
    title: {id: 'cockpit.bundle.title', defaultMessage: 'Staging → production bundle'},
    subtitle: {
        id: 'cockpit.bundle.subtitle',
        defaultMessage: 'One file with what this cockpit prepared, for another server’s cockpit: see what it would change there, then apply the parts you pick. Secrets, wave results and approvals are never in it.',
    },
    exportCaption: {id: 'cockpit.bundle.export.caption', defaultMessage: 'Parts to export'},
    includePeople: {
        id: 'cockpit.bundle.export.people',
        defaultMessage: 'Include people (the waves’ cohort files: names and email addresses)',
    },
    download: {id: 'cockpit.bundle.export.download', defaultMessage: 'Download bundle'},
    downloadError: {id: 'cockpit.bundle.export.error', defaultMessage: 'The bundle cannot be exported: {message}'},
    choose: {id: 'cockpit.bundle.import.choose', defaultMessage: 'Import a bundle file'},
    notJson: {id: 'cockpit.bundle.import.notJson', defaultMessage: 'The file {file} is not JSON: {message}'},
    previewing: {id: 'cockpit.bundle.import.previewing', defaultMessage: 'Reading the bundle…'},
    previewError: {id: 'cockpit.bundle.import.previewError', defaultMessage: 'The bundle cannot be imported: {message}'},
    source: {id: 'cockpit.bundle.import.source', defaultMessage: '{file}: from {site} ({url}), exported {time}'},
    previewCaption: {id: 'cockpit.bundle.import.caption', defaultMessage: 'What importing each part would change on this server'},
    pick: {id: 'cockpit.bundle.import.pick', defaultMessage: 'Apply'},
    pickPart: {id: 'cockpit.bundle.import.pickPart', defaultMessage: 'Apply {part}'},
    part: {id: 'cockpit.bundle.import.part', defaultMessage: 'Part'},
    added: {id: 'cockpit.bundle.import.added', defaultMessage: 'Added'},
    changed: {id: 'cockpit.bundle.import.changed', defaultMessage: 'Changed'},
    removed: {id: 'cockpit.bundle.import.removed', defaultMessage: 'Removed'},
    unchanged: {id: 'cockpit.bundle.import.unchanged', defaultMessage: 'Unchanged'},
    remarks: {id: 'cockpit.bundle.import.remarks', defaultMessage: 'Remarks'},
    cannotApply: {id: 'cockpit.bundle.import.cannotApply', defaultMessage: 'Cannot apply here: {problems}'},
    nothingToDo: {id: 'cockpit.bundle.import.nothing', defaultMessage: 'Nothing to change'},
    apply: {id: 'cockpit.bundle.import.apply', defaultMessage: 'Apply the picked parts'},
    applying: {id: 'cockpit.bundle.import.applying', defaultMessage: 'Applying…'},
    resultCaption: {id: 'cockpit.bundle.result.caption', defaultMessage: 'Result per part'},
    result: {id: 'cockpit.bundle.result.result', defaultMessage: 'Result'},
    statusApplied: {id: 'cockpit.bundle.result.applied', defaultMessage: 'Applied'},
    statusUnchanged: {id: 'cockpit.bundle.result.unchanged', defaultMessage: 'Unchanged: already as in the bundle'},
    statusFailed: {id: 'cockpit.bundle.result.failed', defaultMessage: 'Not applied (nothing of it written): {message}'},
    imageFailed: {
        id: 'cockpit.bundle.result.imageFailed',
        defaultMessage: 'The branding applied, but the brand image could not be set: {message}',
    },
    partPlan: {id: 'cockpit.bundle.part.plan', defaultMessage: 'Roll-out plan'},
    partTemplates: {id: 'cockpit.bundle.part.templates', defaultMessage: 'Role templates'},
    partWaves: {id: 'cockpit.bundle.part.waves', defaultMessage: 'Wave definitions and journeys'},
    partBranding: {id: 'cockpit.bundle.part.branding', defaultMessage: 'Branding with its image'},
    partTargets: {id: 'cockpit.bundle.part.targets', defaultMessage: 'Adoption targets'},
});

export const partLabels: Record<BundlePart, typeof bundleMessages.partPlan> = {
    plan: bundleMessages.partPlan,
    templates: bundleMessages.partTemplates,
    waves: bundleMessages.partWaves,
    branding: bundleMessages.partBranding,
    adoption_targets: bundleMessages.partTargets,
};
