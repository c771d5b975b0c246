import { deleteIdentData } from '../../transport';
import { orderAction } from '../orderAction';

export const deleteData = orderAction({
	value: 'deleteData',
	name: 'Delete Data',
	action: 'Delete the identification data of an order',
	description: 'Delete the result data, images, documents and recordings of a final order at IDnow (delIdentdata)',
	notice: {
		displayName:
			'Delete once every result (data, PDF, images, recordings) has been fetched: IDnow keeps them 7 days after the order became final otherwise. The status codes stay readable.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	send: deleteIdentData,
	confirms: 'deleted',
});
