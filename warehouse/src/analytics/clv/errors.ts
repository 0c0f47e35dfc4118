/** Why a CLV model cannot be fitted or scored; `message` is written for the person who runs the build. */
export type ClvErrorCode =
  | 'invalid_input'
  | 'too_few_customers'
  | 'no_repeat_buyers'
  | 'too_few_repeat_buyers'
  | 'not_converged'
  | 'degenerate_fit';

export class ClvModelError extends Error {
  override readonly name = 'ClvModelError';
  constructor(
    readonly code: ClvErrorCode,
    message: string,
    /** For invalid_input: the position of the first offending customer in the input. */
    readonly index?: number,
  ) {
    super(message);
  }
}

/** Something the caller should show next to the results: they are computed, but read them with care. */
export interface ClvWarning {
  code: 'spend_frequency_correlated' | 'spend_not_modelled' | 'spend_excluded' | 'gamma_gamma_failed';
  message: string;
}
