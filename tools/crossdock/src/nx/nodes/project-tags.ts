/** The tag of every Go project crossdock infers (apps and libraries). */
export const GO_TAG = 'lang:go';

/** The tag of every Go app crossdock builds an image for (not its libraries, not a main with no image); nx release's group selects it. */
export const IMAGE_TAG = 'crossdock:image';
