package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;

/**
 * The informer's store of ExportJobs: the operator never reads their managedFields (its status
 * writes are merge patches). A class of its own, as the controller's annotation names one.
 */
public final class LeanExportJobStore extends LeanStore<ExportJob> {}
