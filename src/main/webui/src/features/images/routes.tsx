import type { Screen } from '../../app/screens';
import { ImagesIcon } from '../../ui/icons';
import { ImageDetailPage } from './ImageDetailPage';
import { ImagesPage } from './ImagesPage';

export const imageScreens: Screen[] = [
  { path: '/images', title: 'Images', component: ImagesPage, nav: { label: 'Images', icon: ImagesIcon, order: 10, matchPrefix: '/images' } },
  { path: '/images/:id', title: 'Image', component: ImageDetailPage },
];
