export declare const VENDORED: string[];
export declare function bundleVendored(outDir: string): Promise<boolean>;
export declare function redirectPrismaRuntime(generatedDir: string, outDir: string): Promise<number>;
