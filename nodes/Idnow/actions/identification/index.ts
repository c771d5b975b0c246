import type { ResourceDefinition } from '../../../shared/resources';
import { deleteData } from './deleteData.operation';
import { getData } from './getData.operation';
import { getDataPdf } from './getDataPdf.operation';
import { getImages } from './getImages.operation';

export const identification: ResourceDefinition = {
	value: 'identification',
	name: 'Identification',
	operations: [getData, getDataPdf, getImages, deleteData],
};
