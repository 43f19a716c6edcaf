export declare const VENDORED: string[];
export declare function bundleVendored(outDir: string): Promise<boolean>;
