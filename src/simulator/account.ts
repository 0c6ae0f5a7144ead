import type { CatalogueModel } from './model-catalogue.js';

/**
 * The simulated account: what the simulator holds beside the tasks themselves. Its own models
 * (uploaded with `modelUpload`, trained with `training`), private and found by `modelSearch`;
 * its balance is a starting credit less what the remembered tasks cost (`accountManagement`).
 */
export interface Account {
  /** The account's own models, newest last; the same AIR again replaces the older entry (a metadata update). */
  readonly models: CatalogueModel[];
  addModel(model: CatalogueModel): void;
  /** The organisation's identity, fixed per simulator. */
  readonly organizationUUID: string;
}

/** The account's credit when the simulator starts, in USD. */
export const STARTING_BALANCE = 100;

/** Creates an empty account. */
export const createAccount = (organizationUUID: string): Account => {
  const models: CatalogueModel[] = [];
  return {
    models,
    organizationUUID,
    addModel(model) {
      const index = models.findIndex((known) => known.air === model.air);
      if (index >= 0) models.splice(index, 1);
      models.push(model);
      // Bounded: a test uploading in a loop cannot grow it without end.
      if (models.length > 10_000) models.shift();
    },
  };
};
