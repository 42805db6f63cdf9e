import type {JourneyStep} from 'contract/journey';
import type {Survey, SurveyValues} from 'contract/survey';

import type {AnswerSet} from './results';

import {KvKeys} from '../kv/keys';
import type {KvReader, KvStore} from '../kv/store';
import {feedbackShardOf, feedbackShards} from '../waves/feedback';

// A survey's answer sets in 16 shards by user id (as the welcome's feedback): a submission is one
// compare-and-set on its person's shard, so two people answering at once never lose each other's.

/** Every answer set of a survey step (16 reads). */
export function readAnswerSets(kv: KvReader, waveId: string, stepId: string): AnswerSet[] {
    const sets: AnswerSet[] = [];
    for (let shard = 0; shard < feedbackShards; shard++) {
        const answers = kv.readVersioned(KvKeys.surveyAnswers(waveId, stepId, shard)).value?.answers ?? {};
        Object.entries(answers).forEach(([userId, set]) => sets.push({userId, ...set}));
    }
    return sets;
}

/** One person's answer set, if any. */
export function readAnswerSet(kv: KvReader, waveId: string, stepId: string, userId: string): SurveyValues | undefined {
    return kv.readVersioned(KvKeys.surveyAnswers(waveId, stepId, feedbackShardOf(userId))).value?.answers[userId]?.values;
}

/** Who answered a survey step. */
export const answeredUsers = (kv: KvReader, waveId: string, stepId: string) =>
    new Set(readAnswerSets(kv, waveId, stepId).map((set) => set.userId));

/** Stores (or replaces) the person's answer set, keeping when they first answered. */
export function saveAnswerSet(kv: KvStore, waveId: string, stepId: string, userId: string, values: SurveyValues, now: number): void {
    kv.updateWithRetry(KvKeys.surveyAnswers(waveId, stepId, feedbackShardOf(userId)), (current) => {
        const answers = current?.answers ?? {};
        return {answers: {...answers, [userId]: {values, at: answers[userId]?.at ?? now, edited_at: now}}};
    });
}

/** The saved journey's survey step `stepId`, or undefined. */
export function surveyStep(kv: KvReader, waveId: string, stepId: string): (JourneyStep & {survey: Survey}) | undefined {
    const step = kv.readVersioned(KvKeys.journey(waveId)).value?.steps.find((candidate) => candidate.id === stepId);
    return step?.survey ? {...step, survey: step.survey} : undefined;
}
