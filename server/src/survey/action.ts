import type {Post} from '@mattermost/types/posts';

import {SurveyEndpoints} from 'contract/endpoints/survey';
import {ErrorIds} from 'contract/errors';
import {manifest} from 'contract/manifest';
import type {Survey, SurveyAnswerActionRequest, SurveyDialogAnswer, SurveyDialogSubmit} from 'contract/survey';

import {checkSubmission, dialogElements, helpCall, isClosed} from './answers';
import {readAnswerSet, saveAnswerSet, surveyStep} from './store';

import {botUserId} from '../bot/bot';
import {isoTime} from '../dates/dates';
import {ApiError} from '../errors/apiError';
import {isHostError} from '../host/errors';
import {type Speaker, speakerForUser} from '../i18n/messages';
import {journeyMarker, journeyProp} from '../journey/stop';
import {KvKeys} from '../kv/keys';
import type {KvStore} from '../kv/store';
import type {MattermostApi} from '../mattermost/api';
import {feedbackOf, postHelpNotice} from '../waves/feedback';

// A survey's two callbacks, both posted by the server in-process for the acting user (as the welcome's
// feedback buttons: Mattermost-User-Id is the clicking or submitting user):
//   - the "Answer" button under the survey's follow-up opens the dialog with the person's answers so
//     far (OpenInteractiveDialog needs the click's trigger id);
//   - the dialog's submission is checked and stored as the person's one answer set.
// Who may answer: the acting user must be the addressee named in the context and the post must be the
// bot's follow-up for that person and step (its `cockpit_journey` prop, which only the plugin sets).
// The submit route takes any URL from any user (POST /api/v4/actions/dialogs/submit), so the dialog's
// `state` names the post and the check is made again on submit: nobody answers for someone else or a
// survey they were not sent.

export const answerIntegrationUrl = `/plugins/${manifest.id}${SurveyEndpoints.answerAction.path}`;
export const submitUrl = `/plugins/${manifest.id}${SurveyEndpoints.dialogSubmit.path}`;

/** The "Answer" button under a survey step's follow-up, in the addressee's language. */
export function surveyAttachment(speaker: Speaker, waveId: string, stepId: string, userId: string) {
    const answerLabel = speaker.t('survey.answer');
    return {
        fallback: answerLabel,
        actions: [{
            // The server's action route only accepts [A-Za-z0-9]+ ids.
            id: 'surveyanswer',
            type: 'button',
            name: answerLabel,
            style: 'primary',
            integration: {url: answerIntegrationUrl, context: {wave_id: waveId, step_id: stepId, user_id: userId}},
        }],
    };
}

const refuse = (message: string) => new ApiError(403, ErrorIds.forbidden, message);

interface SurveyContext {
    api: MattermostApi;
    kv: KvStore;
    userId: string;
    now: number;
}

/** The survey follow-up `postId` sent to `userId` for the step, or a 403. */
function surveyPostOf({api, kv}: SurveyContext, postId: string, waveId: string, stepId: string, userId: string): Post {
    let post: Post;
    try {
        post = api.posts.get(postId);
    } catch (error) {
        // A state that names no post (missing, or not a post id at all) is no survey of theirs either.
        if (isHostError(error) && (error.status_code === 404 || error.status_code === 400)) {
            throw refuse('This is not a survey of a wave.');
        }
        throw error;
    }
    if (post.user_id !== botUserId(kv) || post.props?.[journeyProp] !== journeyMarker(waveId, stepId, userId)) {
        throw refuse('This is not your survey.');
    }
    return post;
}

const closedText = (speaker: Speaker, survey: Survey) =>
    speaker.t('survey.closed', {day: isoTime(survey.closes_at ?? 0).slice(0, 10)});

/** The acting person's language. */
const speakerOf = ({api, userId}: SurveyContext) => speakerForUser(api.users.get(userId), api.config.get());

/** The click on "Answer": opens the dialog, or says why not. */
export function handleAnswerClick(context: SurveyContext, body: SurveyAnswerActionRequest): {ephemeral_text?: string} {
    const {wave_id: waveId, step_id: stepId, user_id: addressee} = body.context;
    if (body.user_id !== context.userId || addressee !== context.userId) {
        throw refuse('Only the person this survey was sent to can answer it.');
    }
    surveyPostOf(context, body.post_id, waveId, stepId, context.userId);
    const speaker = speakerOf(context);
    const step = surveyStep(context.kv, waveId, stepId);
    if (step === undefined) {
        return {ephemeral_text: speaker.t('survey.removed')};
    }
    if (isClosed(step.survey, context.now)) {
        return {ephemeral_text: closedText(speaker, step.survey)};
    }
    if (!body.trigger_id) {
        throw ApiError.invalid('trigger_id: required to open the survey');
    }
    const current = readAnswerSet(context.kv, waveId, stepId, context.userId);
    const {survey} = step;
    context.api.dialogs.open({
        trigger_id: body.trigger_id,
        url: submitUrl,
        dialog: {
            callback_id: `${waveId}:${stepId}`,
            title: survey.title,
            introduction_text: survey.closes_at === null ?
                speaker.t('survey.changeLater') :
                speaker.t('survey.changeUntil', {day: isoTime(survey.closes_at).slice(0, 10)}),
            elements: dialogElements(survey, current),
            submit_label: speaker.t(current ? 'survey.update' : 'survey.send'),
            notify_on_cancel: false,
            state: body.post_id,
        },
    });
    return {};
}

/** The dialog's submission: checked, then stored as the person's answer set (a call for help told to the help desk first). */
export function handleDialogSubmit(context: SurveyContext, body: SurveyDialogSubmit): SurveyDialogAnswer {
    const {api, kv, userId, now} = context;
    const [waveId = '', stepId = ''] = body.callback_id.split(':');
    if (body.user_id !== userId) {
        throw refuse('Only the person this survey was sent to can answer it.');
    }
    surveyPostOf(context, body.state, waveId, stepId, userId);
    if (body.cancelled) {
        return {};
    }
    const step = surveyStep(kv, waveId, stepId);
    if (step === undefined) {
        return {error: speakerOf(context).t('survey.removed')};
    }
    if (isClosed(step.survey, now)) {
        return {error: closedText(speakerOf(context), step.survey)};
    }
    const checked = checkSubmission(step.survey, body.submission ?? {}, speakerOf(context));
    if ('errors' in checked) {
        return {errors: checked.errors};
    }

    // As for the welcome's "I need help": the notice goes out before the answers are stored, so a failed
    // notice fails the submission (which can be repeated) rather than storing a call nobody saw.
    const previous = readAnswerSet(kv, waveId, stepId, userId);
    const call = helpCall(step.survey, checked.values);
    const stored = kv.readVersioned(KvKeys.waveDef(waveId)).value;
    const helpDesk = stored ? feedbackOf(stored.definition).help_desk_channel_id : '';
    if (call !== null && helpDesk !== '' && (previous === undefined || helpCall(step.survey, previous) === null)) {
        postHelpNotice({api, kv}, {
            channelId: helpDesk,
            waveId,
            waveName: stored?.definition.name ?? waveId,
            userId,
            from: {kind: 'survey', title: step.survey.title},
            detail: call,
        });
    }
    saveAnswerSet(kv, waveId, stepId, userId, checked.values, now);
    return {};
}
