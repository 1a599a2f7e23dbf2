import type { OneginiEnrolledUserProfile, OneginiUserProfile } from '../../src/sdk/index.js';

/**
 * A new link's profile as the SDK lists it later: without `compareCode`, which the phone shows
 * once, while the user compares it with the linking page.
 */
export function listedProfile(profile: OneginiEnrolledUserProfile): OneginiUserProfile {
  return Object.fromEntries(
    Object.entries(profile).filter(([key]) => key !== 'compareCode'),
  ) as unknown as OneginiUserProfile;
}
