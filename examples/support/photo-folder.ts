import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';

/** A folder of photos: its absolute path, and its JPEGs (`*.jpg`, `*.jpeg`) by name, in name order. */
export interface PhotoFolder {
  readonly folder: string;
  readonly files: readonly string[];
}

/**
 * The folder an example was given on its command line, read once to be sure it is one: without
 * it, or when it cannot be read, the example says why in one line and ends with exit code 2,
 * instead of scanning the current directory or printing a stack.
 *
 * @param argument The command-line argument.
 * @param usage How the example is run, e.g. `npm run example -- batch-folder <folder>`.
 * @returns The folder and its photos.
 */
export async function photoFolder(argument: string | undefined, usage: string): Promise<PhotoFolder> {
  if (argument === undefined || argument === '') {
    console.error(`Which folder? Usage: ${usage}`);
    process.exit(2);
  }
  const folder = resolve(argument);
  try {
    return { folder, files: (await readdir(folder)).filter((name) => /\.jpe?g$/i.test(name)).sort() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such folder' : code === 'ENOTDIR' ? 'it is not a folder' : code === 'EACCES' ? 'permission denied' : String(error);
    console.error(`Cannot read the folder ${folder}: ${why}. Usage: ${usage}`);
    process.exit(2);
  }
}
