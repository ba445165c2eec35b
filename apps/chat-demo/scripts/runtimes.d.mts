/** Path of the real bun binary installed from npm. */
export declare const bunBinary: string
/** Path of the real deno binary installed from npm. */
export declare const denoBinary: string
/** The `--allow-env` list of the Deno entry. */
export declare const denoEnv: string
