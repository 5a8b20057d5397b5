/**
 * The simulator's corpus. Order matters: the scenario with the most matching patterns wins
 * and ties go to the earlier one, so task-shaped scenarios (code, writing, explanations)
 * come before topic-shaped ones (a city, the weather) and small talk comes last.
 */
import type { Scenario } from '../corpus-types.js';
import { beijing, shanghai } from './cities.js';
import { comparePythonJs } from './compare.js';
import { http, recursion } from './concepts.js';
import { joke, poem, story } from './creative.js';
import { phonePlans, recipe, weekday } from './daily.js';
import { docker, git, sql } from './devtools.js';
import { essay } from './essay.js';
import { fallback } from './fallback.js';
import { greeting, thanksGoodbye } from './greetings.js';
import { jsPromise, regex } from './javascript.js';
import { blockchain, machineLearning, mathEquation } from './knowledge.js';
import { summarise, translation } from './language.js';
import { pythonComprehension, pythonDecorator, pythonReadFile } from './python.js';
import { sorting } from './sorting.js';
import { todoApp } from './todo-app.js';
import { travelPlan, weather } from './travel.js';
import { sleep, studyTips, timeManagement } from './wellbeing.js';
import { email, interviewTips } from './work.js';

/** All scenarios, most specific first. */
export const scenarios: readonly Scenario[] = [
  sorting,
  todoApp,
  pythonComprehension,
  pythonReadFile,
  pythonDecorator,
  jsPromise,
  regex,
  comparePythonJs,
  sql,
  git,
  docker,
  recursion,
  http,
  machineLearning,
  blockchain,
  mathEquation,
  essay,
  poem,
  story,
  joke,
  translation,
  summarise,
  email,
  interviewTips,
  weather,
  travelPlan,
  weekday,
  recipe,
  phonePlans,
  sleep,
  timeManagement,
  studyTips,
  beijing,
  shanghai,
  thanksGoodbye,
  greeting,
];

/** The generic answer when no scenario's patterns match. */
export const fallbackScenario: Scenario = fallback;
