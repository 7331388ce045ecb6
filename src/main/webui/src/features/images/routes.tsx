import type { Screen } from '../../app/screens';
import { ImagesIcon } from '../../ui/icons';
import { PlannedScreen } from '../../ui/PlannedScreen';

function ImagesPage() {
  return (
    <PlannedScreen
      title="Images"
      description="Container images stored on this machine: what they are, how big, and which containers use them."
      apiPrefix="/api/images"
      capabilities={[
        'list local images with repository, tag, id, size, creation date and the containers using them',
        'pull an image from a registry with live per-layer progress that everyone watching sees',
        'inspect an image’s configuration, layers and history; tag and remove images',
        'import a docker save or OCI tarball and export images as downloads',
      ]}
    />
  );
}

export const imageScreens: Screen[] = [
  { path: '/images', title: 'Images', component: ImagesPage, nav: { label: 'Images', icon: ImagesIcon, order: 10 } },
];
