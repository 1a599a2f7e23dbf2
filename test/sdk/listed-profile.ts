import type { OneginiEnrolledUserProfile, OneginiUserProfile } from '../../src/sdk/index.js';

/**
 * A new link's profile as the SDK lists it later: without `compareCode`, which the phone shows
 * once, while the user compares it with the linking page, nor `passkeySetup`, which says what
 * came of making the passkey at linking (the listed profile says `userVerifying`).
 */
export function listedProfile(profile: OneginiEnrolledUserProfile): OneginiUserProfile {
  return Object.fromEntries(
    Object.entries(profile).filter(([key]) => key !== 'compareCode' && key !== 'passkeySetup'),
  ) as unknown as OneginiUserProfile;
}
