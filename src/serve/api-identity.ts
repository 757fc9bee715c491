/** Who holds an address (MACs, accounts, host names), as the pivot, scope and findings answers give it. */

/** `seen`: each name with when it was first and last seen up to the range's end, `earlier` for a previous holder's; `since`: when the current holder's lease (or first logon) began. */
export interface ApiIdentity { macs: string[]; users: string[]; hosts: string[]; seen?: { kind: 'mac' | 'user' | 'host'; name: string; first: number; last: number; earlier?: true }[]; since?: number }
