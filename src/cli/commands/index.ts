// Every subcommand, in the order `gan-studio --help` lists them.
import type { Command } from '../command.js';
import { doctorCommand } from './doctor.js';
import { importCommand } from './import.js';
import { datasetsCommand } from './datasets.js';
import { trainCommand } from './train.js';
import { runsCommand } from './runs.js';
import { generateCommand } from './generate.js';
import { interpolateCommand } from './interpolate.js';
import { upscaleCommand } from './upscale.js';
import { stylizeCommand } from './stylize.js';
import { batchCommand } from './batch.js';
import { compareCommand } from './compare.js';
import { jobsCommand } from './jobs.js';
import { modelsCommand } from './models.js';
import { evalCommand } from './eval.js';
import { serveCommand } from './serve.js';
import { benchCommand } from './bench.js';

export const COMMANDS: Command[] = [
  doctorCommand,
  importCommand,
  datasetsCommand,
  trainCommand,
  runsCommand,
  generateCommand,
  interpolateCommand,
  upscaleCommand,
  stylizeCommand,
  batchCommand,
  compareCommand,
  jobsCommand,
  modelsCommand,
  evalCommand,
  serveCommand,
  benchCommand,
];
