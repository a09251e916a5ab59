// Every model family registers itself here, one import line each (families other engineers add
// go below: esrgan, cyclegan). Import this module once before calling getFamily().
import { registerFamily } from './registry.js';
import { vanillaFamily } from './vanilla/index.js';
import { dcganFamily } from './dcgan/index.js';
import { cycleganFamily } from './cyclegan/index.js';
import { esrganFamily } from './esrgan/index.js';

registerFamily(vanillaFamily);
registerFamily(dcganFamily);
registerFamily(cycleganFamily);
registerFamily(esrganFamily);

export { getFamily, listFamilies, registerFamily } from './registry.js';
