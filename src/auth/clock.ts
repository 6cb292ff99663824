/** The time source of the user pool, lock-out, refresh tokens and signing keys: injected so tests pin it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
