import type { IsoDate } from "../model.js";
import type { OwedMessage } from "../outbox.js";

/** A delivered request's feedback survey: sent once, answered at most once. */
export interface SurveyRecord {
  requestId: string;
  sentAt: Date;
  /** The last day an answer is taken (14 working days after it was sent). */
  expiresOn: IsoDate;
  /** 1 (poor) to 5 (excellent); undefined until answered. */
  rating?: number;
  comment: string;
  answeredById?: string;
  answeredAt?: Date;
}

export interface SurveyAnswer {
  rating: number;
  comment: string;
  byId: string;
  at: Date;
}

/** Feedback surveys, one per request (a unique key in the database). */
export interface SurveyStore {
  /** The request's survey, created now if it has none: a request is surveyed once, ever. */
  open(requestId: string, sentAt: Date, expiresOn: IsoDate): Promise<SurveyRecord>;
  find(requestId: string): Promise<SurveyRecord | undefined>;
  /**
   * Records the answer and stores the messages it owes (the low-rating alert) in one
   * transaction; false (nothing stored) when it was answered before.
   */
  answer(requestId: string, answer: SurveyAnswer, owe: OwedMessage[]): Promise<boolean>;
  /** Surveys sent in [from, to]: what the report counts. */
  sentBetween(from: Date, to: Date): Promise<SurveyRecord[]>;
  /** The surveys of these requests (the export's rating and comment columns). */
  forRequests(requestIds: string[]): Promise<SurveyRecord[]>;
}
