// Types of scripts/cli-bundle.mjs (plain JS so bin/kagg.mjs can run it before tsx exists).

/** The fresh bundle's entry file under `root`, or undefined when it is missing or any input changed. */
export function freshBundle(root?: string): string | undefined;
/** Builds the bundle; its entry file, or undefined when it cannot be built now (tsx then). */
export function buildBundle(root?: string): Promise<string | undefined>;
/** The bundle's entry as a file URL, built first when needed; undefined: run via tsx. */
export function cliBundleUrl(env?: Record<string, string | undefined>, root?: string): Promise<string | undefined>;
/** Removes builds other than `keep` older than `minAgeMs` that no live process uses (`.pid-PID` markers). */
export function pruneOldBuilds(root?: string, keep?: string, minAgeMs?: number): void;
