import { Injectable, type PipeTransform } from '@nestjs/common';
import { validationProblem } from '../problems/problem-details';
import { ID_PATTERN } from './business-date.validator';

/** Path ids follow the same shape as client-chosen ids. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ID_PATTERN.test(value)) {
      throw validationProblem('a path id is malformed', [
        { field: 'id', message: 'ids are 1–100 letters, digits, dots, dashes or underscores' },
      ]);
    }
    return value;
  }
}
